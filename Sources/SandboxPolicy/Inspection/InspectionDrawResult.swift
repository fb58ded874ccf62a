/// What a draw decided (docs/policy.md §8 step 6): enough to publish and to recompute it.
public struct InspectionDrawResult: Sendable, Equatable {
    public struct Stratum: Sendable, Equatable {
        public var name: String
        /// Subjects in the stratum.
        public var n: Int
        public var ratioBasisPoints: Int
        /// Subjects drawn: ⌈n × ratio⌉.
        public var k: Int
    }

    public struct Drawn: Sendable, Equatable {
        public var uscc: String
        public var name: String
        public var stratum: String
        /// The worst class across platforms; nil when never classified.
        public var creditClass: String?
        /// The selection hash, lowercase hex (what anyone can recompute with sha256sum).
        public var hash: String
        /// Inspector ids, in the order they were assigned.
        public var inspectors: [String]
        /// `remote` (无感/远程: on documents, for the pack's remote strata) or `on_site`.
        public var mode: String = "on_site"
    }

    public var seed: String
    public var populationDigest: String
    /// The sorted `uscc,stratum\n` lines joined, the text the digest is over: the published population.
    public var population: String
    /// Subjects in the population (its lines).
    public var populationCount: Int
    /// sandbox, A, B, C, D, in that order.
    public var strata: [Stratum]
    /// Subjects never classified, put in `B` (§8 step 2) and counted here too.
    public var unclassified: Int
    /// Per stratum in the order above, then by ascending hash.
    public var drawn: [Drawn]

    /// The population's lines, each with its newline.
    public var populationLines: [String] {
        population.split(separator: "\n").map { $0 + "\n" }
    }
}
