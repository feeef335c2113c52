import Commerce
import Foundation

/// The shop's payment provider as the gateway meets it: the link each online order is paid
/// through, the secret its callbacks are signed with, and how long an unpaid online order holds
/// its stock (`ORDERBOT_PAYMENT_*`, `ORDERBOT_UNPAID_*`).
public struct PaymentSettings: Sendable, Equatable {
    /// The payment page of an order; nil when the shop sends links some other way.
    public var link: PaymentLinkTemplate?
    /// The key of the callbacks' `X-OrderBot-Signature`; nil: `POST /webhooks/payment` is off (404).
    public var secret: String?
    /// An unpaid online order this old reminds its customer, once.
    public var remindAfter: TimeInterval
    /// An unpaid online order this old is cancelled and its stock released.
    public var releaseAfter: TimeInterval
    /// How often unpaid orders are looked for.
    public var sweepInterval: Duration

    public init(
        link: PaymentLinkTemplate? = nil, secret: String? = nil, remindAfter: TimeInterval = 60 * 60,
        releaseAfter: TimeInterval = 24 * 60 * 60, sweepInterval: Duration = .seconds(60)
    ) {
        self.link = link
        self.secret = secret
        self.remindAfter = remindAfter
        self.releaseAfter = releaseAfter
        self.sweepInterval = sweepInterval
    }

    /// Whether the shop takes payments through the gateway: only then is an unpaid order
    /// reminded and released (a shop that never sends a link must not lose its orders).
    public var takesPayments: Bool { link != nil || secret != nil }
}
