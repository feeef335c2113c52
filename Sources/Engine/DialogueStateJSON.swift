import Commerce
import Dialogue
import Foundation
import ShopValues
import Wire

/// The stored form of a `DialogueState`: JSON written by hand, in exactly the layout its
/// `Codable` conformance reads (`{"phase":{"ordering":{"_0":{…}}},"language":"pl",…}`),
/// and read back with `JSONDecoder` (`complaintAttachments` is left out when empty and
/// `unclearTurns` when zero; a state without them reads as having none). JSONEncoder took a
/// quarter of a turn's time on the writer; this takes a few microseconds. DialogueStateJSONTests
/// pins the two together for every phase.
public enum DialogueStateJSON {
    /// The state as stored with its conversation.
    public static func encode(_ state: DialogueState) -> String {
        var json = JSONObject()
        json.raw("phase", phase(state.phase))
        json.string("language", state.language.rawValue)
        json.raw("misunderstandings", String(state.misunderstandings))
        if let last = state.lastActivity { json.raw("lastActivity", "\(last.timeIntervalSinceReferenceDate)") }
        if !state.complaintAttachments.isEmpty {
            json.raw("complaintAttachments", "[" + state.complaintAttachments.map(attachment).joined(separator: ",") + "]")
        }
        if state.unclearTurns != 0 { json.raw("unclearTurns", String(state.unclearTurns)) }
        return json.text
    }

    /// The state stored as `text`; a fresh state for an empty one, or for one written by an
    /// older version that no longer decodes (rather than lock the customer out of the conversation).
    public static func decode(_ text: String) -> DialogueState {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty, trimmed != "{}" else { return DialogueState() }
        return (try? JSONDecoder().decode(DialogueState.self, from: Data(trimmed.utf8))) ?? DialogueState()
    }

    private static func phase(_ phase: DialogueState.Phase) -> String {
        switch phase {
        case .idle: return #"{"idle":{}}"#
        case .offeredOptions: return #"{"offeredOptions":{}}"#
        case .withAgent: return #"{"withAgent":{}}"#
        case .ordering(let draft): return wrap("ordering", ["_0": self.draft(draft)])
        case .awaitingOrder(let request): return wrap("awaitingOrder", ["_0": JSONText.quoted(request.rawValue)])
        case .confirming(let confirmation): return wrap("confirming", ["_0": self.confirmation(confirmation)])
        case .describingComplaint(let number): return wrap("describingComplaint", ["_0": order(number)])
        case .collectingInvoice(let number, let draft):
            var invoice = JSONObject()
            invoice.optional("nip", draft.nip)
            invoice.optional("company", draft.company)
            invoice.optional("address", draft.address)
            return wrap("collectingInvoice", ["_0": order(number), "_1": invoice.text])
        case .changingOrder(let number): return wrap("changingOrder", ["_0": order(number)])
        case .offeringCode(let request, let contact):
            return wrap("offeringCode", ["_0": JSONText.quoted(request.rawValue), "_1": identity(contact)])
        case .awaitingCode(let request, let contact):
            return wrap("awaitingCode", ["_0": JSONText.quoted(request.rawValue), "_1": identity(contact)])
        }
    }

    private static func identity(_ identity: Identity) -> String {
        var json = JSONObject()
        json.string("channel", identity.channel.rawValue)
        json.string("externalID", identity.externalID)
        return json.text
    }

    private static func confirmation(_ confirmation: Confirmation) -> String {
        switch confirmation {
        case .cancel(let number): wrap("cancel", ["_0": order(number)])
        case .returnItems(let number): wrap("returnItems", ["_0": order(number)])
        case .person(let reason): wrap("person", ["reason": JSONText.quoted(reason)])
        case .order(let product, let size, let color):
            {
                var inner = JSONObject()
                inner.raw("productID", JSONText.quoted(product))
                inner.optional("size", size)
                inner.optional("color", color)
                return "{" + JSONText.quoted("order") + ":" + inner.text + "}"
            }()
        }
    }

    private static func draft(_ draft: OrderDraft) -> String {
        var json = JSONObject()
        json.raw("lines", "[" + draft.lines.map(line).joined(separator: ",") + "]")
        if let current = draft.current { json.raw("current", line(current)) }
        json.raw("cartComplete", draft.cartComplete ? "true" : "false")
        json.optional("deliveryMethod", draft.deliveryMethod)
        if let address = draft.address {
            var object = JSONObject()
            object.string("street", address.street)
            object.string("postcode", address.postcode)
            object.string("city", address.city)
            json.raw("address", object.text)
        }
        json.optional("locker", draft.locker)
        json.optional("store", draft.store)
        json.optional("contactName", draft.contactName)
        json.optional("phone", draft.phone)
        json.optional("email", draft.email)
        json.optional("payment", draft.payment?.rawValue)
        json.raw("offeredProducts", "[" + draft.offeredProducts.map(JSONText.quoted).joined(separator: ",") + "]")
        if let queued = draft.queuedProducts {
            json.raw("queuedProducts", "[" + queued.map(JSONText.quoted).joined(separator: ",") + "]")
        }
        json.string("pending", draft.pending.rawValue)
        return json.text
    }

    private static func line(_ line: DraftLine) -> String {
        var json = JSONObject()
        json.optional("productID", line.productID)
        json.optional("size", line.size)
        json.optional("color", line.color)
        if let quantity = line.quantity { json.raw("quantity", String(quantity)) }
        json.optional("sku", line.sku)
        return json.text
    }

    private static func attachment(_ attachment: Attachment) -> String {
        var json = JSONObject()
        json.string("kind", attachment.kind.rawValue)
        json.string("url", attachment.url)
        return json.text
    }

    private static func order(_ number: OrderNumber) -> String { #"{"digits":"# + JSONText.quoted(number.digits) + "}" }

    private static func wrap(_ name: String, _ fields: KeyValuePairs<String, String>) -> String {
        var inner = JSONObject()
        for (key, value) in fields { inner.raw(key, value) }
        return "{" + JSONText.quoted(name) + ":" + inner.text + "}"
    }
}

/// A JSON object written field by field.
private struct JSONObject {
    private var body = ""

    var text: String { "{" + body + "}" }

    mutating func raw(_ key: String, _ value: String) {
        if !body.isEmpty { body += "," }
        body += JSONText.quoted(key) + ":" + value
    }

    mutating func string(_ key: String, _ value: String) { raw(key, JSONText.quoted(value)) }

    mutating func optional(_ key: String, _ value: String?) {
        if let value { string(key, value) }
    }
}
