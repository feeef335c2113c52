import Foundation
@testable import Handoff
import WebChat

/// Text frames of the two WebSockets, as the sessions read them.
enum FrameTargets {
    static func runChat(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        guard case .message(_, let message)? = try? ChatRequest.parse(text) else { return }
        require(message.count <= ChatRequest.maximumTextLength, "a message of \(message.count) characters was taken")
    }

    static func runAgent(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        guard case .send(_, let message)? = try? AgentRequest.parse(text) else { return }
        require(message.count <= AgentRequest.maximumTextLength, "a reply of \(message.count) characters was taken")
    }
}
