import Foundation

/// Multinomial logistic regression over hashed sparse features, trained with stochastic
/// gradient descent and L2 regularisation. Deterministic for a given seed and data.
///
/// Feature values are IDF-weighted (a feature occurring twice counts twice) and each example's
/// vector is L2-normalised, like TF-IDF.
/// Only features seen in training get weights (`vocabulary`); unseen ones are ignored at
/// prediction. Class weights are stored in `SIMD8` lanes (classes padded to a multiple of 8),
/// so a feature's update is a few vector operations.
struct LinearModel: Sendable {
    /// How training runs.
    struct Settings: Sendable {
        var epochs = 12
        var learningRate: Float = 6
        var regularization: Float = 1e-6
        var seed: UInt64 = 0x5eed
    }

    let classCount: Int
    private let chunks: Int
    private let vocabulary: FeatureTable
    private let inverseFrequency: [Float]
    private let weights: [SIMD8<Float>]
    private let bias: [SIMD8<Float>]

    /// A sparse example: feature indexes and their values.
    private struct Encoded {
        var indexes: [Int32]
        var values: [Float]
        let label: Int
    }

    /// Trains on `examples`: each a feature list and a class index below `classCount`.
    init(examples: [(features: [UInt64], label: Int)], classCount: Int, settings: Settings = Settings()) {
        self.classCount = classCount
        chunks = (classCount + 7) / 8
        var vocabulary = FeatureTable(expectedCount: examples.count * 32)
        var documentFrequency: [Int] = []
        var raw: [(indexes: [Int32], label: Int)] = []
        raw.reserveCapacity(examples.count)
        for example in examples {
            var indexes: [Int32] = []
            indexes.reserveCapacity(example.features.count)
            for feature in example.features {
                let (index, inserted) = vocabulary.insert(feature)
                if inserted { documentFrequency.append(0) }
                indexes.append(index)
            }
            for index in Self.unique(indexes) { documentFrequency[Int(index)] += 1 }
            raw.append((indexes, example.label))
        }
        let total = Float(examples.count + 1)
        let inverseFrequency = documentFrequency.map { log(total / Float($0 + 1)) + 1 }
        self.inverseFrequency = inverseFrequency
        self.vocabulary = vocabulary
        let encoded = raw.map { example in
            Encoded(indexes: example.indexes, values: Self.normalised(example.indexes.map { inverseFrequency[Int($0)] }),
                    label: example.label)
        }
        var weights = [SIMD8<Float>](repeating: .zero, count: vocabulary.count * chunks)
        var bias = [SIMD8<Float>](repeating: .zero, count: chunks)
        for lane in classCount..<(chunks * 8) { bias[lane / 8][lane % 8] = -1e9 }
        Self.train(encoded, chunks: chunks, classCount: classCount, settings: settings, weights: &weights, bias: &bias)
        self.weights = weights
        self.bias = bias
    }

    /// Class probabilities for an example's features (softmax of the scores).
    func probabilities(_ features: [UInt64]) -> [Double] {
        let chunks = self.chunks
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, features.count)) { indexes in
            var found = 0
            var squares: Float = 0
            for feature in features {
                guard let index = vocabulary.index(of: feature) else { continue }
                indexes[found] = index
                found += 1
                let value = inverseFrequency[Int(index)]
                squares += value * value
            }
            let norm = squares > 0 ? 1 / squares.squareRoot() : 0
            var scores = bias
            weights.withUnsafeBufferPointer { weights in
                inverseFrequency.withUnsafeBufferPointer { inverseFrequency in
                    for position in 0..<found {
                        let index = Int(indexes[position])
                        let value = inverseFrequency[index] * norm
                        let base = index * chunks
                        for chunk in 0..<chunks { scores[chunk] += weights[base + chunk] * value }
                    }
                }
            }
            let probabilities = Self.softmax(scores)
            return (0..<classCount).map { Double(probabilities[$0 / 8][$0 % 8]) }
        }
    }

    /// Each index once, for counting in how many examples a feature occurs. (Within an example a
    /// feature that occurs twice counts twice, in training and prediction alike.)
    private static func unique(_ indexes: [Int32]) -> [Int32] {
        var sorted = indexes
        sorted.sort()
        var result: [Int32] = []
        result.reserveCapacity(sorted.count)
        for index in sorted where result.last != index { result.append(index) }
        return result
    }

    private static func normalised(_ values: [Float]) -> [Float] {
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? values.map { $0 / norm } : values
    }

    /// Softmax over all lanes; padding lanes carry a huge negative bias and come out as 0.
    private static func softmax(_ scores: [SIMD8<Float>]) -> [SIMD8<Float>] {
        var top = -Float.infinity
        for chunk in scores { top = max(top, chunk.max()) }
        var result = scores
        var sum: Float = 0
        for chunk in result.indices {
            for lane in 0..<8 {
                let value = exp(scores[chunk][lane] - top)
                result[chunk][lane] = value
                sum += value
            }
        }
        for chunk in result.indices { result[chunk] /= SIMD8(repeating: sum) }
        return result
    }

    private static func train(
        _ examples: [Encoded], chunks: Int, classCount: Int, settings: Settings,
        weights: inout [SIMD8<Float>], bias: inout [SIMD8<Float>]
    ) {
        var order = Array(examples.indices)
        var random = SplitMix64(seed: settings.seed)
        var step: Float = 0
        let total = Float(max(1, settings.epochs * examples.count))
        var gradient = [SIMD8<Float>](repeating: .zero, count: chunks)
        weights.withUnsafeMutableBufferPointer { weights in
            for _ in 0..<settings.epochs {
                order.shuffle(using: &random)
                for position in order {
                    let example = examples[position]
                    let rate = settings.learningRate * (1 - 0.9 * step / total)
                    step += 1
                    var scores = bias
                    for (offset, index) in example.indexes.enumerated() {
                        let value = example.values[offset]
                        let base = Int(index) * chunks
                        for chunk in 0..<chunks { scores[chunk] += weights[base + chunk] * value }
                    }
                    let probabilities = softmax(scores)
                    for chunk in 0..<chunks { gradient[chunk] = probabilities[chunk] }
                    gradient[example.label / 8][example.label % 8] -= 1
                    // An example the model already gets right with near certainty would change
                    // nothing worth the memory traffic of an update.
                    var largestSquare: Float = 0
                    for chunk in 0..<chunks {
                        largestSquare = Swift.max(largestSquare, (gradient[chunk] * gradient[chunk]).max())
                    }
                    guard largestSquare >= 1e-6 else { continue }
                    for chunk in 0..<chunks { bias[chunk] -= gradient[chunk] * (rate * 0.1) }
                    let decay = 1 - rate * settings.regularization
                    for (offset, index) in example.indexes.enumerated() {
                        let step = rate * example.values[offset]
                        let base = Int(index) * chunks
                        for chunk in 0..<chunks {
                            weights[base + chunk] = weights[base + chunk] * decay - gradient[chunk] * step
                        }
                    }
                }
            }
        }
        for lane in classCount..<(chunks * 8) { bias[lane / 8][lane % 8] = -1e9 }
    }
}

/// A small, fast, seedable random generator (SplitMix64), so training, replays and tests are
/// reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
