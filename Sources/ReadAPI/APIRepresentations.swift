import Commerce
import Foundation
import ShopValues

/// The JSON shapes of the read API (snake_case on the wire, see Resources/openapi.json). They
/// are built from the domain values and exist only to be encoded.
package enum API {
    /// A value that is encoded as `null` when absent, where the contract lists the field always.
    package struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
        package let value: Wrapped?

        package init(_ value: Wrapped?) { self.value = value }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    package struct Amount: Encodable, Sendable {
        package let amount: String
        package let currency: String

        package init(_ money: Money) {
            amount = money.decimalString
            currency = money.currency
        }
    }

    package struct IdentityRecord: Encodable, Sendable {
        package let channel: String
        package let externalId: String
        package let linkedAt: String
        package let trust: String
    }

    package struct CustomerRecord: Encodable, Sendable {
        package let id: Int64
        package let name: Nullable<String>
        package let phone: Nullable<String>
        package let email: Nullable<String>
        package let language: String
        package let createdAt: String
        package let identities: [IdentityRecord]
        package let orders: [OrderSummary]
        package let escalations: [EscalationRecord]
        package let conversations: [ConversationSummary]
    }

    /// An order as a customer's record lists it: enough for an agent to answer "where is it?"
    /// without opening it (its status history, payment and tracking).
    package struct OrderSummary: Encodable, Sendable {
        package let number: String
        package let status: String
        package let total: Amount
        package let createdAt: String
        package let paymentMethod: String
        package let paymentStatus: String
        package let tracking: Nullable<TrackingRecord>
        package let statusHistory: [StatusRecord]
    }

    package struct OrderRecord: Encodable, Sendable {
        package let number: String
        package let customerId: Int64
        package let conversationId: Nullable<Int64>
        package let status: String
        package let createdAt: String
        package let updatedAt: String
        package let lines: [LineRecord]
        package let itemsTotal: Amount
        package let deliveryPrice: Amount
        package let paymentFee: Amount
        package let total: Amount
        package let delivery: DeliveryRecord
        package let paymentMethod: String
        package let contact: ContactRecord
        package let invoice: Nullable<InvoiceRecord>
        package let statusHistory: [StatusRecord]
        package let returns: [ReturnRecord]
        /// `unpaid`, `paid`, `failed` or `refunded`.
        package let paymentStatus: String
        package let paidAt: Nullable<String>
        package let tracking: Nullable<TrackingRecord>
    }

    package struct TrackingRecord: Encodable, Sendable {
        package let carrier: Nullable<String>
        package let number: Nullable<String>
        package let url: Nullable<String>
    }

    package struct LineRecord: Encodable, Sendable {
        package let line: Int
        package let sku: String
        package let productId: String
        package let namePl: String
        package let nameEn: String
        package let size: String
        package let color: String
        package let quantity: Int
        package let unitPrice: Amount
        package let lineTotal: Amount
    }

    package struct AddressRecord: Encodable, Sendable {
        package let street: String
        package let postcode: String
        package let city: String
    }

    package struct DeliveryRecord: Encodable, Sendable {
        package let method: String
        package let address: Nullable<AddressRecord>
        package let lockerCode: Nullable<String>
        package let storeId: Nullable<String>
    }

    package struct ContactRecord: Encodable, Sendable {
        package let name: String
        package let phone: Nullable<String>
        package let email: Nullable<String>
    }

    package struct InvoiceRecord: Encodable, Sendable {
        package let company: String
        package let nip: String
        package let address: String
    }

    package struct StatusRecord: Encodable, Sendable {
        package let status: String
        package let note: Nullable<String>
        package let at: String
    }

    package struct ReturnRecord: Encodable, Sendable {
        package struct Line: Encodable, Sendable {
            package let sku: String
            package let quantity: Int
        }

        package let id: Int64
        package let reason: String
        package let status: String
        package let createdAt: String
        package let lines: [Line]
    }

    package struct ConversationSummary: Encodable, Sendable {
        package let id: Int64
        package let channel: String
        package let mode: String
        package let language: String
        package let createdAt: String
        package let updatedAt: String
        package let closedAt: Nullable<String>
        package let messageCount: Int
    }

    package struct ConversationRecord: Encodable, Sendable {
        package let id: Int64
        package let customerId: Int64
        package let channel: String
        package let mode: String
        package let language: String
        package let createdAt: String
        package let updatedAt: String
        package let closedAt: Nullable<String>
    }

    package struct MessageRecord: Encodable, Sendable {
        package let id: Int64
        package let direction: String
        package let author: String
        package let channel: String
        package let text: String
        package let intent: Nullable<String>
        package let confidence: Nullable<Double>
        package let createdAt: String
    }

    package struct EscalationRecord: Encodable, Sendable {
        package let id: Int64
        package let conversationId: Int64
        package let customerId: Int64
        package let reason: String
        package let priority: Int
        package let summary: String
        package let status: String
        package let agent: Nullable<String>
        package let resolution: Nullable<String>
        package let createdAt: String
        package let assignedAt: Nullable<String>
        package let resolvedAt: Nullable<String>
    }

    package struct Customers: Encodable, Sendable { package let customers: [CustomerRecord] }
    package struct Orders: Encodable, Sendable { package let orders: [OrderRecord] }
    package struct Transcript: Encodable, Sendable {
        package let conversation: ConversationRecord
        package let messages: [MessageRecord]
    }
    package struct Queue: Encodable, Sendable { package let escalations: [EscalationRecord] }
    /// `GET /api/customers/{id}/export`.
    package struct Export: Encodable, Sendable {
        package let customer: CustomerRecord
        /// Every order in full (the record lists them in short).
        package let orders: [OrderRecord]
        package let transcripts: [Transcript]
        package let exportedAt: String
    }
    /// `DELETE /api/customers/{id}`: what was erased, by table, and whether the WAL was folded
    /// into the file at once (else at the next checkpoint).
    package struct Erasure: Encodable, Sendable {
        package let customerId: Int64
        package let erased: [String: Int]
        package let checkpointed: Bool
    }
}

extension API {
    package static func time(_ date: Date) -> String { Timestamps.text(date) }

    package static func customer(
        _ customer: Customer, orders: [Order], escalations: [Escalation], conversations: [(Conversation, Int)]
    ) -> CustomerRecord {
        CustomerRecord(
            id: customer.id, name: Nullable(customer.name), phone: Nullable(customer.phone),
            email: Nullable(customer.email), language: customer.language, createdAt: time(customer.createdAt),
            identities: customer.identities.map {
                IdentityRecord(
                    channel: $0.identity.channel.rawValue, externalId: $0.identity.externalID, linkedAt: time($0.linkedAt),
                    trust: $0.trust.rawValue)
            },
            orders: orders.map {
                OrderSummary(
                    number: $0.number.digits, status: $0.status.rawValue, total: Amount($0.total), createdAt: time($0.createdAt),
                    paymentMethod: $0.payment.rawValue, paymentStatus: $0.paymentStatus.rawValue, tracking: tracking($0),
                    statusHistory: $0.history.map(status))
            },
            escalations: escalations.map(escalation),
            conversations: conversations.map { conversation, count in
                ConversationSummary(
                    id: conversation.id, channel: conversation.channel.rawValue, mode: conversation.mode.rawValue,
                    language: conversation.language, createdAt: time(conversation.createdAt),
                    updatedAt: time(conversation.updatedAt), closedAt: Nullable(conversation.closedAt.map(time)),
                    messageCount: count)
            })
    }

    package static func order(_ order: Order) -> OrderRecord {
        let delivery: DeliveryRecord = switch order.delivery {
        case .courier(let address):
            DeliveryRecord(
                method: order.delivery.method,
                address: Nullable(AddressRecord(street: address.street, postcode: address.postcode.value, city: address.city)),
                lockerCode: Nullable(nil), storeId: Nullable(nil))
        case .parcelLocker(let code):
            DeliveryRecord(method: order.delivery.method, address: Nullable(nil), lockerCode: Nullable(code.value), storeId: Nullable(nil))
        case .storePickup(let store):
            DeliveryRecord(method: order.delivery.method, address: Nullable(nil), lockerCode: Nullable(nil), storeId: Nullable(store))
        }
        return OrderRecord(
            number: order.number.digits, customerId: order.customerID, conversationId: Nullable(order.conversationID),
            status: order.status.rawValue, createdAt: time(order.createdAt), updatedAt: time(order.updatedAt),
            lines: order.lines.map {
                LineRecord(
                    line: $0.line, sku: $0.sku, productId: $0.productID, namePl: $0.namePL, nameEn: $0.nameEN,
                    size: $0.size, color: $0.color, quantity: $0.quantity, unitPrice: Amount($0.unitPrice),
                    lineTotal: Amount($0.lineTotal))
            },
            itemsTotal: Amount(order.itemsTotal), deliveryPrice: Amount(order.deliveryPrice),
            paymentFee: Amount(order.paymentFee), total: Amount(order.total), delivery: delivery,
            paymentMethod: order.payment.rawValue,
            contact: ContactRecord(
                name: order.contact.name, phone: Nullable(order.contact.phone?.e164), email: Nullable(order.contact.email?.value)),
            invoice: Nullable(order.invoice.map { InvoiceRecord(company: $0.company, nip: $0.nip.digits, address: $0.address) }),
            statusHistory: order.history.map(status),
            returns: order.returns.map { ret in
                ReturnRecord(
                    id: ret.id, reason: ret.reason, status: ret.status.rawValue, createdAt: time(ret.createdAt),
                    lines: ret.lines.map { ReturnRecord.Line(sku: $0.sku, quantity: $0.quantity) })
            },
            paymentStatus: order.paymentStatus.rawValue, paidAt: Nullable(order.paidAt.map(time)), tracking: tracking(order))
    }

    private static func tracking(_ order: Order) -> Nullable<TrackingRecord> {
        Nullable(order.tracking.map { TrackingRecord(carrier: Nullable($0.carrier), number: Nullable($0.number), url: Nullable($0.url)) })
    }

    private static func status(_ change: StatusChange) -> StatusRecord {
        StatusRecord(status: change.status.rawValue, note: Nullable(change.note), at: time(change.at))
    }

    package static func conversation(_ conversation: Conversation) -> ConversationRecord {
        ConversationRecord(
            id: conversation.id, customerId: conversation.customerID, channel: conversation.channel.rawValue,
            mode: conversation.mode.rawValue, language: conversation.language, createdAt: time(conversation.createdAt),
            updatedAt: time(conversation.updatedAt), closedAt: Nullable(conversation.closedAt.map(time)))
    }

    package static func message(_ message: Message) -> MessageRecord {
        MessageRecord(
            id: message.id, direction: message.direction.rawValue, author: message.author.rawValue,
            channel: message.channel.rawValue, text: message.text, intent: Nullable(message.intent),
            confidence: Nullable(message.confidence), createdAt: time(message.createdAt))
    }

    package static func escalation(_ escalation: Escalation) -> EscalationRecord {
        EscalationRecord(
            id: escalation.id, conversationId: escalation.conversationID, customerId: escalation.customerID,
            reason: escalation.reason.rawValue, priority: escalation.priority, summary: escalation.summary,
            status: escalation.status.rawValue, agent: Nullable(escalation.agent),
            resolution: Nullable(escalation.resolution?.rawValue), createdAt: time(escalation.createdAt),
            assignedAt: Nullable(escalation.assignedAt.map(time)), resolvedAt: Nullable(escalation.resolvedAt.map(time)))
    }
}
