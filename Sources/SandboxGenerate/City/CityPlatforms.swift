/// The city's platforms (`platform-1` … `platform-N`, biggest first) and which of them a seller
/// trades on: a seller's storefronts are on distinct platforms, drawn by the platforms' sizes.
struct CityPlatforms: Sendable {
    let ids: [String]
    let weights: [Int]

    init(count: Int, weights all: [Int]) {
        precondition(count >= 1 && count <= all.count, "1…\(all.count) platforms")
        ids = (1...count).map { "platform-\($0)" }
        weights = Array(all.prefix(count))
    }

    var count: Int { ids.count }

    /// `k` distinct platforms (at most all of them), drawn one after another by weight among
    /// those not yet drawn.
    func draw(_ k: Int, _ rng: inout SplitMix64) -> [Int] {
        var left = Array(0..<count)
        var chosen: [Int] = []
        while chosen.count < min(k, count) {
            var total = 0
            for p in left { total += weights[p] }
            var r = rng.below(total)
            var i = 0
            while r >= weights[left[i]] { r -= weights[left[i]]; i += 1 }
            chosen.append(left.remove(at: i))
        }
        return chosen
    }
}
