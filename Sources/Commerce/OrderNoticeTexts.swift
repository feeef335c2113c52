import Foundation
import ShopValues

/// What the customer is told when their order moves on without them asking: a status the shop's
/// systems reported, a payment that came in, a reminder to pay, an order released unpaid.
extension NoticeText {
    /// The news of `order` having moved to its current status.
    public static func status(of order: Order, facts: ShopFacts) -> NoticeText {
        let number = order.number.digits
        switch order.status {
        case .new:
            return NoticeText(polish: "Zamówienie nr \(number) zostało przyjęte.", english: "Order no. \(number) was received.")
        case .paid:
            return payment(of: order)
        case .packed:
            return NoticeText(
                polish: "Zamówienie nr \(number) jest spakowane i czeka na kuriera.",
                english: "Order no. \(number) is packed and waiting for the carrier.")
        case .shipped:
            let tracking = order.tracking.map(Self.trackingSentences) ?? (polish: "", english: "")
            return NoticeText(
                polish: "Zamówienie nr \(number) zostało wysłane." + tracking.polish,
                english: "Order no. \(number) has shipped." + tracking.english)
        case .delivered:
            return NoticeText(
                polish: "Zamówienie nr \(number) zostało doręczone. Dziękujemy za zakupy! Zwrot jest możliwy w ciągu \(facts.returns.days) dni.",
                english: "Order no. \(number) has been delivered. Thank you for shopping with us! You can return it within \(facts.returns.days) days.")
        case .cancelled:
            let refund = order.paymentStatus == .paid
                ? (" Pieniądze zwrócimy w ciągu \(facts.returns.refundDays) dni.", " We'll refund the payment within \(facts.returns.refundDays) days.")
                : ("", "")
            return NoticeText(
                polish: "Zamówienie nr \(number) zostało anulowane." + refund.0,
                english: "Order no. \(number) has been cancelled." + refund.1)
        case .returned:
            return NoticeText(
                polish: "Zwrot zamówienia nr \(number) dotarł do sklepu. Pieniądze zwrócimy w ciągu \(facts.returns.refundDays) dni.",
                english: "The return of order no. \(number) has reached the shop. We'll refund the payment within \(facts.returns.refundDays) days.")
        }
    }

    /// The payment for `order` came in.
    public static func payment(of order: Order) -> NoticeText {
        let next = order.status.isBeforeShipping
            ? (" Przygotowujemy je do wysyłki.", " We are preparing it for shipping.") : ("", "")
        return NoticeText(
            polish: "Dziękujemy! Płatność \(order.total.polish) za zamówienie nr \(order.number.digits) dotarła." + next.0,
            english: "Thank you! The payment of \(order.total.english) for order no. \(order.number.digits) has arrived." + next.1)
    }

    /// The link that pays `order`, for a customer who ordered on the phone.
    public static func paymentLink(of order: Order, link: String) -> NoticeText {
        NoticeText(
            polish: "Zamówienie nr \(order.number.digits) na \(order.total.polish): zapłać tutaj \(link)",
            english: "Order no. \(order.number.digits) for \(order.total.english): pay here \(link)")
    }

    /// The payment for `order` failed; `link` is another try.
    public static func paymentFailed(_ order: Order, link: String?) -> NoticeText {
        let again = link.map { (" Spróbuj ponownie: \($0)", " Please try again: \($0)") } ?? ("", "")
        return NoticeText(
            polish: "Płatność za zamówienie nr \(order.number.digits) nie powiodła się." + again.0,
            english: "The payment for order no. \(order.number.digits) did not go through." + again.1)
    }

    /// `order` still waits for its payment; `link` pays it.
    public static func paymentReminder(of order: Order, link: String?, releasedAfter hours: Double) -> NoticeText {
        let time = hours.rounded() == hours ? String(Int(hours)) : String(format: "%.1f", hours)
        let pay = link.map { (" Link do płatności: \($0)", " Payment link: \($0)") } ?? ("", "")
        return NoticeText(
            polish: "Zamówienie nr \(order.number.digits) na \(order.total.polish) czeka na płatność." + pay.0
                + " Nieopłacone zamówienie anulujemy po \(time) h od złożenia.",
            english: "Order no. \(order.number.digits) for \(order.total.english) is waiting for payment." + pay.1
                + " An unpaid order is cancelled \(time) h after it was placed.")
    }

    /// `order` was cancelled because its payment never came.
    public static func releasedUnpaid(_ order: Order) -> NoticeText {
        NoticeText(
            polish: "Zamówienie nr \(order.number.digits) zostało anulowane, bo nie dotarła za nie płatność. Jeśli nadal chcesz te produkty, napisz — złożymy je od nowa.",
            english: "Order no. \(order.number.digits) was cancelled because its payment never arrived. If you still want the items, write to us and we'll place it again.")
    }

    private static func trackingSentences(_ tracking: Tracking) -> (polish: String, english: String) {
        var polish = "", english = ""
        if let carrier = tracking.carrier {
            polish += " Przewoźnik: \(carrier)."
            english += " Carrier: \(carrier)."
        }
        if let number = tracking.number {
            polish += " Numer przesyłki: \(number)."
            english += " Tracking number: \(number)."
        }
        if let url = tracking.url {
            polish += " Śledzenie: \(url)"
            english += " Track it: \(url)"
        }
        return (polish, english)
    }
}
