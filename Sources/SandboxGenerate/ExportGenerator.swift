import SandboxCore

/// A deterministic generator of realistic Chengdu platform exports (merchants, licences, registry
/// extract) with a documented share of planted problems, for demos, end-to-end tests and the
/// benchmark. The same seed gives byte-identical files.
///
/// Rows are streamed: each merchant is rebuilt from (seed, index) when its row is written, so
/// memory stays flat (one index array only for `.shuffled`).
public struct ExportGenerator: Sendable {
    public let seed: UInt64
    public let merchantCount: Int
    public let platformID: String
    public let today: CivilDate
    public let problemMix: ProblemMix
    let planner: MerchantPlanner

    public init(seed: UInt64, merchantCount: Int, platformID: String, today: CivilDate,
                problemMix: ProblemMix = ProblemMix()) {
        precondition(merchantCount >= 0 && merchantCount < 28_000_000,
                     "merchantCount must be 0…27,999,999 (USCC organization codes are unique up to there)")
        self.seed = seed
        self.merchantCount = merchantCount
        self.platformID = platformID
        self.today = today
        self.problemMix = problemMix
        planner = MerchantPlanner(seed: seed, today: today, mix: problemMix)
    }

    /// The file names for a kind: `merchants-<platform>-<yyyymmdd>.csv`.
    public func fileName(kind: String) -> String {
        let d = today.description.utf8.filter { $0 != UInt8(ascii: "-") }
        return "\(kind)-\(platformID)-\(String(decoding: d, as: UTF8.self)).csv"
    }

    /// The platform merchant id written for merchant `index`.
    public func merchantID(at index: Int) -> String {
        String(ExportRowRenderer(planner: planner, headers: .english).merchantNumber(index))
    }

    /// The problems planted in merchant `index` (what the agent should find for it).
    public func problems(ofMerchantAt index: Int) -> GeneratedProblems {
        planner.storefront(at: index).problems
    }

    /// Writes the three files into `directory` (which must exist), each under a hidden temporary
    /// name renamed into place when complete.
    ///
    /// - Parameter transcode: required for `.gb18030`: converts UTF-8 bytes (always whole rows) to
    ///   GB18030; wire the iconv transcoder here. Ignored for `.utf8`.
    /// - Parameter rowOrder: the same records in another order, to test re-ingest of unchanged data.
    /// - Parameter progress: told every 4,096 merchants how many are written and the bytes of
    ///   the three files so far (a progress line).
    public func write(to directory: String, encoding: GeneratedEncoding, headers: HeaderLanguage,
                      rowOrder: RowOrder = .natural, lineEnding: LineEnding = .lf,
                      byteOrderMark: Bool = false,
                      transcode: ((_ utf8: [UInt8]) -> [UInt8])? = nil,
                      progress: ((_ merchants: Int, _ bytes: Int) -> Void)? = nil) throws(GeneratorError) -> GeneratedFiles {
        guard PlatformID.isValid(platformID) else {
            throw .invalidPlatformID(platformID)
        }
        var converter: (([UInt8]) -> [UInt8])?
        if encoding == .gb18030 {
            guard let transcode else { throw .missingTranscoder }
            converter = transcode
        }
        let renderer = ExportRowRenderer(planner: planner, headers: headers)
        func open(_ kind: String) throws(GeneratorError) -> CSVFileWriter {
            var w = try CSVFileWriter(directory: directory, name: fileName(kind: kind), lineEnding: lineEnding,
                                      transcode: converter)
            // A BOM only makes sense in UTF-8 (Excel's "CSV UTF-8").
            if byteOrderMark && encoding == .utf8 { w.buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
            return w
        }
        var merchants = try open("merchants")
        var licences = try open("licences")
        var registry = try open("registry")
        try renderer.header(ExportColumns.merchants, into: &merchants)
        try renderer.header(ExportColumns.licences, into: &licences)
        try renderer.header(ExportColumns.registry, into: &registry)

        var counts = [Int](repeating: 0, count: GeneratedProblem.allCases.count)
        var withProblems = 0
        var licenceRows = 0, registryRows = 0
        let order = RowSequence(count: merchantCount, order: rowOrder)
        for position in 0..<merchantCount {
            if let progress, position & 4095 == 0 {
                progress(position, merchants.bytesWritten + licences.bytesWritten + registry.bytesWritten)
            }
            let index = order[position]
            let shop = planner.storefront(at: index)
            try renderer.merchantRow(shop, into: &merchants)
            licenceRows += try renderer.licenceRows(shop, into: &licences)
            if shop.entity.hasUSCC && !shop.secondShop {
                try renderer.registryRow(shop.entity, into: &registry)
                registryRows += 1
            }
            if !shop.problems.isEmpty {
                withProblems += 1
                for (i, p) in GeneratedProblem.allCases.enumerated() where shop.problems.contains(p) { counts[i] += 1 }
            }
        }
        let merchantBytes = try merchants.finish()
        let licenceBytes = try licences.finish()
        let registryBytes = try registry.finish()
        var problemCounts: [GeneratedProblem: Int] = [:]
        for (i, p) in GeneratedProblem.allCases.enumerated() { problemCounts[p] = counts[i] }
        return GeneratedFiles(merchantsPath: merchants.path, licencesPath: licences.path,
                              registryPath: registry.path, merchantRows: merchantCount,
                              licenceRows: licenceRows, registryRows: registryRows,
                              merchantBytes: merchantBytes, licenceBytes: licenceBytes,
                              registryBytes: registryBytes, problemCounts: problemCounts,
                              merchantsWithProblems: withProblems)
    }
}

/// Positions → merchant indices for a row order; only `.shuffled` holds an index array.
struct RowSequence {
    let count: Int
    let reversed: Bool
    let permutation: [Int32]?

    init(count: Int, order: RowOrder) {
        self.count = count
        switch order {
        case .natural: reversed = false; permutation = nil
        case .reversed: reversed = true; permutation = nil
        case .shuffled(let seed):
            reversed = false
            var p = (0..<count).map { Int32($0) }
            var rng = SplitMix64(state: seed)
            var i = count - 1
            while i > 0 {
                p.swapAt(i, rng.below(i + 1))
                i -= 1
            }
            permutation = p
        }
    }

    subscript(position: Int) -> Int {
        if let permutation { return Int(permutation[position]) }
        return reversed ? count - 1 - position : position
    }
}
