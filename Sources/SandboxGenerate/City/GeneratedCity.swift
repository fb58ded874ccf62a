/// What `CityGenerator.write` produced for one day: each platform's files and rows, and the
/// city's figures behind them.
public struct GeneratedCity: Sendable, Equatable {
    public struct Platform: Sendable, Equatable {
        public var platformID: String
        public var merchantsPath: String
        public var licencesPath: String
        public var registryPath: String
        public var eventsPath: String
        /// Storefront rows (opened by the day; closed ones included, as platforms list them).
        public var storefronts: Int
        public var licenceRows: Int
        public var registryRows: Int
        public var eventRows: Int
    }

    public var platforms: [Platform]
    /// Sellers behind the storefronts (an enterprise on three platforms counts once).
    public var sellers: Int
    /// Storefronts of the whole year's city, and those open by the day (in the files).
    public var storefrontsInYear: Int
    public var storefronts: Int
    /// Storefronts of each entity type in the files.
    public var storefrontsByType: [String: Int]
    /// Storefronts whose export shows at least one problem on the day, and each problem's count.
    public var storefrontsWithProblems: Int
    public var problemCounts: [GeneratedProblem: Int]
}
