// Measures the understanding: training time from the built-in Intents/, and single-threaded
// classification throughput with entity extraction, against a product list the size of the
// demo catalog. Run: swift run -c release nlu-benchmark [--seconds N]
import Foundation
import NLU

let arguments = CommandLine.arguments
let seconds = arguments.firstIndex(of: "--seconds").flatMap { Int(arguments[$0 + 1]) } ?? 5

let corpus = try IntentCorpus.embedded()
let products = [
    "Aero Run", "Trail Pro", "Urban Walk", "Nordic Parka", "City Sneaker", "Classic Chelsea", "Summer Sandal",
    "Cloud Slipper", "Storm Jacket", "Fleece Hoodie", "Basic T-shirt", "Merino Socks", "Cargo Trousers",
    "Denim Jeans", "Rain Poncho", "Trekking Boot", "Court Classic", "Sprint Spike", "Yoga Legging", "Puffer Vest",
    "buty do biegania", "kurtka zimowa", "bluza z kapturem", "koszulka", "skarpetki", "trampki", "kozaki",
    "sandały", "plecak", "czapka", "rękawiczki", "szalik", "spodnie dresowe", "kurtka przeciwdeszczowa",
    "kalosze", "klapki", "mokasyny", "baleriny", "półbuty", "szorty",
].enumerated().map { ProductName(productID: "product-\($0.offset)", names: [$0.element]) }

// Training time: the median of five trainings.
var trainings: [Double] = []
var understanding: LanguageUnderstanding!
for _ in 0..<5 {
    let start = ContinuousClock.now
    understanding = LanguageUnderstanding(corpus: corpus, products: products)
    let elapsed = ContinuousClock.now - start
    trainings.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
}
trainings.sort()

// Throughput: every training example, round and round, for `seconds`.
let utterances = corpus.examples.map(\.text)
var classified = 0
var entities = 0
let start = ContinuousClock.now
let deadline = start + .seconds(seconds)
while ContinuousClock.now < deadline {
    for text in utterances {
        entities += understanding.understand(text).entities.count
    }
    classified += utterances.count
}
let elapsed = ContinuousClock.now - start
let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let meanLength = Double(utterances.reduce(0) { $0 + $1.count }) / Double(utterances.count)

print("NLU benchmark (release, single thread)")
print(String(format: "training examples      %d", corpus.examples.count))
print(String(format: "training time          median %.0f ms (min %.0f, max %.0f, 5 runs)", trainings[2], trainings[0], trainings[4]))
print(String(format: "classified             %d utterances in %.2f s (mean %.0f characters, %d products listed)",
             classified, elapsedSeconds, meanLength, products.count))
print(String(format: "throughput             %.0f utterances/s with entities (%.1f µs each)",
             Double(classified) / elapsedSeconds, elapsedSeconds / Double(classified) * 1e6))
print(String(format: "entities found         %.2f per utterance", Double(entities) / Double(classified)))
