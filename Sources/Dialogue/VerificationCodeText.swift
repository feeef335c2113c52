import NLU

/// The text of the message that carries a one-time code to the customer's phone or inbox.
public enum VerificationCodeText {
    public static func message(code: String, language: Language) -> String {
        switch language {
        case .polish: "Twój kod weryfikacyjny: \(code). Jest ważny 10 minut. Nie podawaj go nikomu poza czatem sklepu."
        case .english: "Your verification code: \(code). It is valid for 10 minutes. Don't share it with anyone outside the shop's chat."
        }
    }
}
