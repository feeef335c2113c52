import Commerce
import Foundation
import ShopValues

/// The JSON shapes of the read API (snake_case on the wire, see Resources/openapi.json). They
/// are built from the domain values and exist only to be encoded.
enum API {
    /// A value that is encoded as `null` when absent, where the contract lists the field always.
    struct Nullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
        let value: Wrapped?

        init(_ value: Wrapped?) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value { try container.encode(value) } else { try container.encodeNil() }
        }
    }

    struct Amount: Encodable, Sendable {
        let amount: String
        let currency: String

        init(_ money: Money) {
            amount = money.decimalString
            currency = money.currency
        }
    }

    struct IdentityRecord: Encodable, Sendable {
        let channel: String
        let externalId: String
        let linkedAt: String
        let trust: String
    }

    struct CustomerRecord: Encodable, Sendable {
        let id: Int64
        let name: Nullable<String>
        let phone: Nullable<String>
        let email: Nullable<String>
        let language: String
        let createdAt: String
        let identities: [IdentityRecord]
        let orders: [OrderSummary]
        let escalations: [EscalationRecord]
        let conversations: [ConversationSummary]
    }

    struct OrderSummary: Encodable, Sendable {
        let number: String
        let status: String
        let total: Amount
        let createdAt: String
    }

    struct OrderRecord: Encodable, Sendable {
        let number: String
        let customerId: Int64
        let conversationId: Nullable<Int64>
        let status: String
        let createdAt: String
        let updatedAt: String
        let lines: [LineRecord]
        let itemsTotal: Amount
        let deliveryPrice: Amount
        let paymentFee: Amount
        let total: Amount
        let delivery: DeliveryRecord
        let paymentMethod: String
        let contact: ContactRecord
        let invoice: Nullable<InvoiceRecord>
        let statusHistory: [StatusRecord]
        let returns: [ReturnRecord]
    }

    struct LineRecord: Encodable, Sendable {
        let line: Int
        let sku: String
        let productId: String
        let namePl: String
        let nameEn: String
        let size: String
        let color: String
        let quantity: Int
        let unitPrice: Amount
        let lineTotal: Amount
    }

    struct AddressRecord: Encodable, Sendable {
        let street: String
        let postcode: String
        let city: String
    }

    struct DeliveryRecord: Encodable, Sendable {
        let method: String
        let address: Nullable<AddressRecord>
        let lockerCode: Nullable<String>
        let storeId: Nullable<String>
    }

    struct ContactRecord: Encodable, Sendable {
        let name: String
        let phone: Nullable<String>
        let email: Nullable<String>
    }

    struct InvoiceRecord: Encodable, Sendable {
        let company: String
        let nip: String
        let address: String
    }

    struct StatusRecord: Encodable, Sendable {
        let status: String
        let note: Nullable<String>
        let at: String
    }

    struct ReturnRecord: Encodable, Sendable {
        struct Line: Encodable, Sendable {
            let sku: String
            let quantity: Int
        }

        let id: Int64
        let reason: String
        let status: String
        let createdAt: String
        let lines: [Line]
    }

    struct ConversationSummary: Encodable, Sendable {
        let id: Int64
        let channel: String
        let mode: String
        let language: String
        let createdAt: String
        let updatedAt: String
        let closedAt: Nullable<String>
        let messageCount: Int
    }

    struct ConversationRecord: Encodable, Sendable {
        let id: Int64
        let customerId: Int64
        let channel: String
        let mode: String
        let language: String
        let createdAt: String
        let updatedAt: String
        let closedAt: Nullable<String>
    }

    struct MessageRecord: Encodable, Sendable {
        let id: Int64
        let direction: String
        let author: String
        let channel: String
        let text: String
        let intent: Nullable<String>
        let confidence: Nullable<Double>
        let createdAt: String
    }

    struct EscalationRecord: Encodable, Sendable {
        let id: Int64
        let conversationId: Int64
        let customerId: Int64
        let reason: String
        let priority: Int
        let summary: String
        let status: String
        let agent: Nullable<String>
        let resolution: Nullable<String>
        let createdAt: String
        let assignedAt: Nullable<String>
        let resolvedAt: Nullable<String>
    }

    struct Customers: Encodable, Sendable { let customers: [CustomerRecord] }
    struct Orders: Encodable, Sendable { let orders: [OrderRecord] }
    struct Transcript: Encodable, Sendable {
        let conversation: ConversationRecord
        let messages: [MessageRecord]
    }
    struct Queue: Encodable, Sendable { let escalations: [EscalationRecord] }
}

extension API {
    static func time(_ date: Date) -> String { Timestamps.text(date) }

    static func customer(
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
                OrderSummary(number: $0.number.digits, status: $0.status.rawValue, total: Amount($0.total), createdAt: time($0.createdAt))
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

    static func order(_ order: Order) -> OrderRecord {
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
            statusHistory: order.history.map { StatusRecord(status: $0.status.rawValue, note: Nullable($0.note), at: time($0.at)) },
            returns: order.returns.map { ret in
                ReturnRecord(
                    id: ret.id, reason: ret.reason, status: ret.status.rawValue, createdAt: time(ret.createdAt),
                    lines: ret.lines.map { ReturnRecord.Line(sku: $0.sku, quantity: $0.quantity) })
            })
    }

    static func conversation(_ conversation: Conversation) -> ConversationRecord {
        ConversationRecord(
            id: conversation.id, customerId: conversation.customerID, channel: conversation.channel.rawValue,
            mode: conversation.mode.rawValue, language: conversation.language, createdAt: time(conversation.createdAt),
            updatedAt: time(conversation.updatedAt), closedAt: Nullable(conversation.closedAt.map(time)))
    }

    static func message(_ message: Message) -> MessageRecord {
        MessageRecord(
            id: message.id, direction: message.direction.rawValue, author: message.author.rawValue,
            channel: message.channel.rawValue, text: message.text, intent: Nullable(message.intent),
            confidence: Nullable(message.confidence), createdAt: time(message.createdAt))
    }

    static func escalation(_ escalation: Escalation) -> EscalationRecord {
        EscalationRecord(
            id: escalation.id, conversationId: escalation.conversationID, customerId: escalation.customerID,
            reason: escalation.reason.rawValue, priority: escalation.priority, summary: escalation.summary,
            status: escalation.status.rawValue, agent: Nullable(escalation.agent),
            resolution: Nullable(escalation.resolution?.rawValue), createdAt: time(escalation.createdAt),
            assignedAt: Nullable(escalation.assignedAt.map(time)), resolvedAt: Nullable(escalation.resolvedAt.map(time)))
    }
}
