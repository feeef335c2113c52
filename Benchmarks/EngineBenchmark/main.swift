// Measures the conversation engine in-process, with persistence: messages a second through
// `ConversationEngine.handle` from C concurrent conversations (each message awaited before the
// conversation sends its next, as a customer waits for the reply), the latency of each message
// (submit to replies returned), and then single-threaded `handleNow` on the same workload.
//
// Every phase runs on a new SQLite file in a temporary directory, opened as the gateway opens it
// (`DatabaseConfiguration(path:)`: WAL, `synchronous` from the configuration's default
// durability, 4 readers), migrated, the demo catalog seeded, and every variant's stock raised so
// that no order is refused for want of stock.
//
// Run: swift run -c release engine-benchmark [--conversations 64] [--seconds 10] [--warmup 2]
//        [--messages N] [--sync-seconds 5] [--durability full|normal] [--dir PATH]
// See Benchmarks/README.md.
import Commerce
import Dialogue
import Engine
import Foundation
import Messenger
import NLU
import Storage
import Synchronization

// MARK: - Options

struct Options {
    var conversations = 64
    var seconds = 10.0
    var warmup = 2.0
    /// Measure this many messages instead of `seconds` (the async phase).
    var messages: Int?
    var syncSeconds = 5.0
    /// nil: `DatabaseConfiguration`'s default, as the gateway runs.
    var durability: Durability?
    var directory: String?

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value() -> String {
            guard index + 1 < arguments.count else { fail("\(arguments[index]) needs a value") }
            index += 1
            return arguments[index]
        }
        func number(_ text: String) -> Double {
            guard let number = Double(text), number >= 0 else { fail("not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--conversations", "-c": options.conversations = max(1, Int(number(value())))
            case "--seconds", "-d": options.seconds = number(value())
            case "--warmup": options.warmup = number(value())
            case "--messages", "-n": options.messages = Int(number(value()))
            case "--sync-seconds": options.syncSeconds = number(value())
            case "--durability":
                guard let durability = Durability(rawValue: value()) else { fail("--durability is full or normal") }
                options.durability = durability
            case "--dir": options.directory = value()
            case "--help", "-h":
                print("""
                    usage: engine-benchmark [--conversations 64] [--seconds 10] [--warmup 2] [--messages N]
                                            [--sync-seconds 5] [--durability full|normal] [--dir PATH]
                    """)
                exit(0)
            default: fail("unknown option \(arguments[index])")
            }
            index += 1
        }
        return options
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("engine-benchmark: \(message)\n".utf8))
    exit(2)
}

// MARK: - Workload

/// What a customer message is, for the mix.
enum Kind: String, CaseIterable {
    case ordering, status, faq, greeting
}

struct Line {
    let text: String
    let kind: Kind
    /// The turn that confirms the order: it must place one.
    var places = false
}

/// One customer's visit: a new Messenger user (PSID) who writes these lines one after another.
struct Session {
    let name: String
    let lines: [Line]
}

func o(_ text: String) -> Line { Line(text: text, kind: .ordering) }
func s(_ text: String) -> Line { Line(text: text, kind: .status) }
func f(_ text: String) -> Line { Line(text: text, kind: .faq) }
func g(_ text: String) -> Line { Line(text: text, kind: .greeting) }

/// Two orders (12 and 11 ordering turns) and two visits without one: 23 of 44 messages are
/// ordering turns, the rest order status, FAQ (delivery, payment, store hours) and greetings.
let sessions: [Session] = [
    Session(name: "order Aero Run (parcel locker, BLIK)", lines: [
        g("dzień dobry"),
        o("chcę zamówić buty do biegania"), o("aero run"), o("43"), o("białe"), o("dwie pary"), o("nie"),
        o("paczkomat"), o("WRO01M"), o("Jan Kowalski"), o("600 123 456"), o("blik"),
        Line(text: "tak", kind: .ordering, places: true),
        s("gdzie jest moje zamówienie?"), f("ile kosztuje dostawa?"), g("dziękuję"),
    ]),
    Session(name: "questions", lines: [
        g("dzień dobry"), f("w jakich godzinach jesteście otwarci?"), f("jak mogę zapłacić?"),
        s("gdzie jest moje zamówienie?"), f("ile trwa dostawa?"), g("dziękuję, do widzenia"),
    ]),
    Session(name: "order Nordic Parka (courier, card)", lines: [
        g("cześć"), f("ile kosztuje dostawa?"),
        o("chciałbym kupić kurtkę nordic parka"), o("M"), o("czarna"), o("jedna"), o("nie"), o("kurier"),
        o("ul. Kwiatowa 5, 50-123 Wrocław"), o("Anna Nowak"), o("anna.nowak@example.com"), o("karta"),
        Line(text: "tak", kind: .ordering, places: true),
        s("jaki jest status mojego zamówienia?"), f("czy mogę zapłacić kartą?"), g("dziękuję"),
    ]),
    Session(name: "questions", lines: [
        g("cześć"), f("do której jesteście otwarci?"), s("jaki jest status mojego zamówienia?"),
        f("jakie są formy płatności?"), f("czy wysyłacie za granicę?"), g("dzięki"),
    ]),
]

/// One simulated customer after another on one conversation slot: each session a new PSID.
struct Customer {
    let slot: Int
    private(set) var session = 0
    private(set) var line = 0

    init(slot: Int) {
        self.slot = slot
        // Slots start at different visits of the cycle, so the mix is even from the first second.
        session = slot % sessions.count
    }

    var current: Line { sessions[session % sessions.count].lines[line] }
    var psid: String { "psid-\(slot)-\(session)" }

    var message: InboundMessage {
        InboundMessage(channel: .messenger, sender: .identity(Identity(.messenger, psid)), thread: psid, text: personal(current.text))
    }

    /// Every visitor gives a phone and e-mail of their own (the same ones for all would merge
    /// every customer into one record with every order).
    private func personal(_ text: String) -> String {
        let serial = (slot * 1_000_003 + session) % 100_000_000
        var digits = String(serial)
        digits = String(repeating: "0", count: 8 - digits.count) + digits
        return text.replacingOccurrences(of: "600 123 456", with: "5" + digits)
            .replacingOccurrences(of: "anna.nowak@example.com", with: "anna.\(psid)@example.com")
    }

    mutating func advance() {
        line += 1
        if line == sessions[session % sessions.count].lines.count {
            line = 0
            session += 1
        }
    }
}

/// What one worker saw in the measured window.
struct Tally: Sendable {
    var latencies: [Int64] = []  // nanoseconds
    var orders = 0
    var byKind: [String: Int] = [:]
    var missedOrders = 0  // a confirming turn that placed no order: the script went off the rails
    var errors = 0

    mutating func merge(_ other: Tally) {
        latencies += other.latencies
        orders += other.orders
        byKind.merge(other.byKind, uniquingKeysWith: +)
        missedOrders += other.missedOrders
        errors += other.errors
    }
}

func nanoseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}

// MARK: - Setup

let options = Options.parse(CommandLine.arguments)
let baseDirectory = options.directory ?? FileManager.default.temporaryDirectory.path
let runDirectory = (baseDirectory as NSString).appendingPathComponent("engine-benchmark-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: runDirectory) }

let defaultConfiguration = DatabaseConfiguration(path: "")
let durability = options.durability ?? defaultConfiguration.durability

func filesystem(of path: String) -> String {
    // /proc/mounts: the longest mount point that is a prefix of the path.
    guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return "?" }
    var best = ("", "?", "?")
    for line in mounts.split(separator: "\n") {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count >= 3 else { continue }
        let point = fields[1]
        let matches = path == point || path.hasPrefix(point == "/" ? "/" : point + "/")
        if matches && point.count >= best.0.count { best = (point, fields[2], fields[0]) }
    }
    return "\(best.1) (\(best.2) on \(best.0))"
}

let corpus = try IntentCorpus.embedded()
let understanding = LanguageUnderstanding(corpus: corpus)

/// A new database file, opened as the gateway opens it, with the demo catalog and plenty of stock.
func makeEngine(_ name: String) throws -> ConversationEngine {
    let path = (runDirectory as NSString).appendingPathComponent("\(name).sqlite")
    var configuration = DatabaseConfiguration(path: path)
    configuration.durability = durability
    let database = try DatabasePool(configuration, migrator: Schema.migrator())
    try database.write { db in
        _ = try DemoCatalog.seedIfEmpty(in: db, now: { Date() })
        for variant in try Catalog().products(in: db).flatMap(\.variants) {
            _ = try Catalog().setStock(sku: variant.sku, to: 1_000_000_000, in: db)
        }
    }
    return try ConversationEngine(database: database, understanding: understanding)
}

func record(_ outcome: TurnOutcome, line: Line, latency: Int64, into tally: inout Tally) {
    tally.latencies.append(latency)
    tally.byKind[line.kind.rawValue, default: 0] += 1
    if outcome.placedOrder != nil { tally.orders += 1 }
    if line.places && outcome.placedOrder == nil { tally.missedOrders += 1 }
}

// MARK: - Async phase: C conversations through handle(_:)

struct Result {
    let label: String
    let messages: Int
    let seconds: Double
    let tally: Tally
}

/// What the workers of the async phase share when it ends after a count of messages.
final class Shared: Sendable {
    let measured = Atomic<Int>(0)
    let finished = Atomic<Bool>(false)
    let lastEnd: Mutex<ContinuousClock.Instant>

    init(_ start: ContinuousClock.Instant) { lastEnd = Mutex(start) }
}

func runConcurrent(_ engine: ConversationEngine) async -> Result {
    let clock = ContinuousClock()
    let start = clock.now
    let measureFrom = start + .milliseconds(Int(options.warmup * 1000))
    let measureUntil = measureFrom + .milliseconds(Int(options.seconds * 1000))
    let quota = options.messages
    let shared = Shared(measureFrom)

    let tally = await withTaskGroup(of: Tally.self) { group in
        for slot in 0..<options.conversations {
            group.addTask {
                var customer = Customer(slot: slot)
                var tally = Tally()
                tally.latencies.reserveCapacity(1 << 16)
                while true {
                    let submitted = clock.now
                    if shared.finished.load(ordering: .relaxed) { break }
                    if quota == nil && submitted >= measureUntil { break }
                    let line = customer.current
                    do {
                        let outcome = try await engine.handle(customer.message)
                        let done = clock.now
                        if submitted >= measureFrom && (quota != nil || done <= measureUntil) {
                            record(outcome, line: line, latency: nanoseconds(done - submitted), into: &tally)
                            if let quota {
                                let count = shared.measured.add(1, ordering: .relaxed).newValue
                                if count >= quota {
                                    shared.finished.store(true, ordering: .relaxed)
                                    shared.lastEnd.withLock { $0 = max($0, done) }
                                }
                            }
                        }
                    } catch {
                        tally.errors += 1
                        if tally.errors <= 3 { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
                    }
                    customer.advance()
                }
                return tally
            }
        }
        var total = Tally()
        for await part in group { total.merge(part) }
        return total
    }
    let elapsed: Duration = quota == nil ? measureUntil - measureFrom : shared.lastEnd.withLock { $0 } - measureFrom
    let seconds = Double(nanoseconds(elapsed)) / 1e9
    return Result(
        label: "handle, \(options.conversations) conversations", messages: tally.latencies.count, seconds: seconds, tally: tally)
}

// MARK: - Sync phase: handleNow on one thread

/// The same C conversations, one message of each in turn, on the calling thread.
func runSync(_ engine: ConversationEngine) -> Result {
    let clock = ContinuousClock()
    var customers = (0..<options.conversations).map(Customer.init(slot:))
    let start = clock.now
    let measureFrom = start + .milliseconds(Int(options.warmup * 1000))
    let measureUntil = measureFrom + .milliseconds(Int(options.syncSeconds * 1000))
    var tally = Tally()
    tally.latencies.reserveCapacity(1 << 16)
    var next = 0
    while true {
        let submitted = clock.now
        if submitted >= measureUntil { break }
        let line = customers[next].current
        do {
            let outcome = try engine.handleNow(customers[next].message)
            let done = clock.now
            if submitted >= measureFrom && done <= measureUntil {
                record(outcome, line: line, latency: nanoseconds(done - submitted), into: &tally)
            }
        } catch {
            tally.errors += 1
            if tally.errors <= 3 { FileHandle.standardError.write(Data("error: \(error)\n".utf8)) }
        }
        customers[next].advance()
        next = (next + 1) % customers.count
    }
    return Result(label: "handleNow, 1 thread", messages: tally.latencies.count, seconds: options.syncSeconds, tally: tally)
}

// MARK: - Run and report

let allLines = sessions.flatMap(\.lines)
let orderingShare = Double(allLines.filter { $0.kind == .ordering }.count) / Double(allLines.count)

print("Conversation engine benchmark (release, in-process, with persistence)")
print("database      new SQLite file per phase in \(runDirectory)")
print("              filesystem \(filesystem(of: runDirectory))")
print("              WAL, synchronous=\(durability.rawValue.uppercased())"
      + (options.durability == nil ? " (DatabaseConfiguration's default, as the gateway runs)" : " (--durability)")
      + ", \(defaultConfiguration.readerCount) readers")
print("workload      \(sessions.count) visits cycled per conversation, each a new Messenger PSID: "
      + "\(allLines.count) messages per cycle, \(String(format: "%.0f", orderingShare * 100))% ordering turns, 2 orders")
print("              warm-up \(options.warmup) s, then "
      + (options.messages.map { "\($0) messages" } ?? "\(options.seconds) s") + " (sync: \(options.syncSeconds) s)")
print("machine       \(ProcessInfo.processInfo.activeProcessorCount) cores")

let concurrent = await runConcurrent(try makeEngine("concurrent"))
let sync = runSync(try makeEngine("sync"))

func percentile(_ sorted: [Int64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)
    return Double(sorted[max(0, index)]) / 1e6
}

print("")
print("mix measured: " + Kind.allCases.map { kind in
    let count = concurrent.tally.byKind[kind.rawValue, default: 0]
    return "\(kind.rawValue) \(String(format: "%.0f", 100 * Double(count) / Double(max(1, concurrent.messages))))%"
}.joined(separator: ", "))
print("")
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
func right(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
print(padded("mode", 32) + " " + [("messages", 9), ("seconds", 8), ("msg/s", 10), ("p50 ms", 8), ("p99 ms", 8),
                                  ("max ms", 8), ("orders", 7)].map { right($0.0, $0.1) }.joined(separator: " "))
var failed = false
for result in [concurrent, sync] {
    let sorted = result.tally.latencies.sorted()
    print(padded(result.label, 32) + String(format: " %9d %8.2f %10.0f %8.3f %8.3f %8.2f %7d", result.messages,
                 result.seconds, result.seconds > 0 ? Double(result.messages) / result.seconds : 0, percentile(sorted, 0.50),
                 percentile(sorted, 0.99), Double(sorted.last ?? 0) / 1e6, result.tally.orders))
    if result.tally.missedOrders > 0 || result.tally.errors > 0 {
        failed = true
        FileHandle.standardError.write(Data(
            "\(result.label): \(result.tally.missedOrders) confirmations placed no order, \(result.tally.errors) errors\n".utf8))
    }
}
if failed { exit(1) }
