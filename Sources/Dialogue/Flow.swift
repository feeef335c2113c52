/// One part of the conversation as a small state machine: the phases it owns, what it says in
/// them and where it goes next. Every flow works on the same three things for the length of one
/// step: the conversation's state (what is pending, shared by all flows), what the engine knows
/// (`DialogueContext`: catalog, customer, shop facts) and the reply being written.
///
/// A flow hands over to another with `with(_:_:)`; what every flow may do (start afresh, not
/// understand, hand over to a person) is in Flow+Moves.swift.
protocol Flow {
    var state: DialogueState { get set }
    var context: DialogueContext { get }
    var response: Response { get set }

    init(state: DialogueState, context: DialogueContext, response: Response)
}

extension Flow {
    /// Runs `body` on the flow `Other` over this step's state and reply, and keeps what it did.
    @discardableResult
    mutating func with<Other: Flow, Result>(_ other: Other.Type, _ body: (inout Other) -> Result) -> Result {
        var flow = Other(state: state, context: context, response: response)
        let result = body(&flow)
        state = flow.state
        response = flow.response
        return result
    }
}
