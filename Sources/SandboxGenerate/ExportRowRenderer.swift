import SandboxCore

/// Turns merchant plans into CSV rows, byte by byte (no per-field `String`s): the hot path of
/// the generator.
struct ExportRowRenderer {
    typealias V = ChengduVocabulary
    let planner: MerchantPlanner
    let english: Bool
    private let yes: [UInt8], no: [UInt8]
    private let entityTypes: [EntityType: [UInt8]]
    private let categories: [MerchantCategory: [UInt8]]
    private let categorySeparator: [UInt8]
    private let statuses: [StorefrontStatus: [UInt8]]
    private let licenceTypes: [LicenceType: [UInt8]]
    private let registrationStatuses: [RegistrationStatus: [UInt8]]
    private let merchantIDOffset: Int

    /// Character values of the USCC alphabet (-1 outside), and W_i = 3^(i−1) mod 31.
    private static let usccValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in USCC.alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()
    private static let usccWeights: [Int] = (0..<17).map { i in (0..<i).reduce(1) { a, _ in a * 3 % 31 } }

    init(planner: MerchantPlanner, headers: HeaderLanguage) {
        self.planner = planner
        english = headers == .english
        func spell<C: CodedValue>(_ value: C) -> [UInt8] {
            Array((headers == .english ? value.rawValue : value.chineseNames[0]).utf8)
        }
        yes = Array((english ? "true" : "是").utf8)
        no = Array((english ? "false" : "否").utf8)
        entityTypes = Dictionary(uniqueKeysWithValues: EntityType.allCases.map { ($0, spell($0)) })
        categories = Dictionary(uniqueKeysWithValues: MerchantCategory.allCases.map { ($0, spell($0)) })
        categorySeparator = Array((english ? ";" : "；").utf8)
        statuses = Dictionary(uniqueKeysWithValues: StorefrontStatus.allCases.map { ($0, spell($0)) })
        licenceTypes = Dictionary(uniqueKeysWithValues: LicenceType.allCases.map { ($0, spell($0)) })
        // The registry speaks Chinese whatever the platform's headers (EXPORT-FORMAT lists only 中文 values).
        registrationStatuses = Dictionary(uniqueKeysWithValues: RegistrationStatus.allCases.map {
            ($0, Array($0.chineseNames[0].utf8))
        })
        merchantIDOffset = Int(planner.seed % 9_000_000_000)
    }

    // MARK: rows

    func header(_ columns: [(String, String)], into w: inout CSVFileWriter) throws(GeneratorError) {
        for (en, zh) in columns { w.field(Array((english ? en : zh).utf8)) }
        try w.endRow()
    }

    func merchantRow(_ s: StorefrontPlan, into w: inout CSVFileWriter) throws(GeneratorError) {
        let e = s.entity
        w.beginField(); merchantID(s.index, &w); w.endField()
        w.beginField(); shopName(s, &w); w.endField()
        w.field(entityTypes[e.type]!)
        if e.hasUSCC {
            w.beginField(); uscc(e, corruption: s.usccCorruption, &w); w.endField()
        } else {
            w.emptyField()
        }
        w.beginField(); entityName(e.name, e, &w); w.endField()
        if e.hasUSCC { w.beginField(); person(e.person, &w); w.endField() } else { w.emptyField() }
        w.beginField(); address(e.address, &w); w.endField()
        // 公示 columns: empty when nothing is displayed.
        if e.hasUSCC && !s.licenceDisplayed {
            w.emptyField(); w.emptyField(); w.emptyField()
        } else {
            w.beginField(); entityName(s.displayedName ?? e.name, e, &w); w.endField()
            w.beginField()
            if e.hasUSCC { displayedUSCC(s, &w) }
            w.endField()
            w.beginField(); address(s.displayedAddress ?? e.address, &w); w.endField()
        }
        w.field(s.licenceDisplayed ? yes : no)   // a natural person's: the self-declaration
        categoryList(e.categories, &w)
        w.field(s.smallScale ? yes : no)
        w.beginField(); if let fen = s.turnoverFen { amount(fen, &w) }; w.endField()
        w.beginField(); date(s.verifiedAt, &w); w.endField()
        w.beginField(); date(s.openedAt, &w); w.endField()
        w.field(statuses[s.status]!)
        w.beginField(); integer(s.complaints, &w); w.endField()
        w.field(V.region(e.region).code)
        try w.endRow()
    }

    /// 经营类目: several joined as EXPORT-FORMAT.md allows (`；` under Chinese headers, `;` English).
    func categoryList(_ list: [MerchantCategory], _ w: inout CSVFileWriter) {
        w.beginField()
        for (i, c) in list.enumerated() {
            if i > 0 { w.buffer.append(contentsOf: categorySeparator) }
            w.buffer.append(contentsOf: categories[c]!)
        }
        w.endField()
    }

    /// Writes the storefront's licence rows (the renewed-from licence first); returns how many.
    func licenceRows(_ s: StorefrontPlan, into w: inout CSVFileWriter) throws(GeneratorError) -> Int {
        var count = 0
        for l in [s.previousLicence, s.licence, s.prepackagedFiling] {
            guard let l else { continue }
            let e = s.entity
            w.beginField(); merchantID(s.index, &w); w.endField()
            w.field(licenceTypes[l.type]!)
            w.beginField(); licenceNumber(l, e, &w); w.endField()
            w.beginField(); entityName(l.foreignHolder ?? e.name, e, &w); w.endField()
            w.beginField(); date(l.validFrom, &w); w.endField()
            w.beginField(); if let to = l.validTo { date(to, &w) }; w.endField()
            w.beginField(); issuer(l, e, &w); w.endField()
            try w.endRow()
            count += 1
        }
        return count
    }

    func registryRow(_ e: EntityPlan, into w: inout CSVFileWriter) throws(GeneratorError) {
        w.beginField(); uscc(e, corruption: 0, &w); w.endField()
        w.beginField(); entityName(e.changedName ?? e.name, e, &w); w.endField()
        w.beginField(); person(e.changedPerson ?? e.person, &w); w.endField()
        w.beginField(); address(e.changedAddress ?? e.address, &w); w.endField()
        w.field(registrationStatuses[e.status]!)
        w.beginField(); if let c = e.changedAt { date(c, &w) }; w.endField()
        w.field(e.abnormal ? yes : no)
        w.field(e.seriousViolation ? yes : no)
        w.beginField(); if let y = e.lastAnnualReportYear { integer(y, &w) }; w.endField()
        try w.endRow()
    }

    // MARK: fields

    /// 10 digits, a bijection of the index: a golden-ratio multiplier coprime to 9·10^9 spreads
    /// neighbouring indices over the whole range.
    func merchantNumber(_ index: Int) -> Int {
        1_000_000_000 + (index &* 5_562_305_887 &+ merchantIDOffset) % 9_000_000_000
    }

    func merchantID(_ index: Int, _ w: inout CSVFileWriter) { integer(merchantNumber(index), &w) }

    func person(_ p: PersonNamePlan, _ w: inout CSVFileWriter) {
        w.buffer.append(contentsOf: V.surnames[p.surname])
        if p.given2 < 0 {
            w.buffer.append(contentsOf: V.givenSingle[p.given1])
        } else {
            w.buffer.append(contentsOf: V.givenFirst[p.given1])
            w.buffer.append(contentsOf: V.givenSecond[p.given2])
        }
    }

    func entityName(_ n: EntityNamePlan, _ e: EntityPlan, _ w: inout CSVFileWriter) {
        if e.type == .naturalPerson { person(e.person, &w); return }
        let region = V.region(e.region)
        let district = region.name
        switch n.form {
        case 0, 4: w.buffer.append(contentsOf: V.chengdu)
        case 1: w.buffer.append(contentsOf: V.sichuan)
        case 3: w.buffer.append(contentsOf: V.sichuanProvince)
        case 2, 5: w.buffer.append(contentsOf: region.city); w.buffer.append(contentsOf: district)
        default: w.buffer.append(contentsOf: district)
        }
        w.buffer.append(contentsOf: V.tradeFirst[n.trade1])
        w.buffer.append(contentsOf: V.tradeSecond[n.trade2])
        w.buffer.append(contentsOf: V.industries(e.category)[n.industry])
        switch n.form {
        case 0, 1, 2: w.buffer.append(contentsOf: V.enterpriseSuffix)
        case 3, 4: w.buffer.append(contentsOf: V.enterpriseSuffixLong)
        default:
            // 大药房 needs no 经营部 after it.
            if e.category != .drug { w.buffer.append(contentsOf: V.individualSuffixes[n.suffix]) }
        }
    }

    func address(_ a: AddressPlan, _ w: inout CSVFileWriter) {
        let region = V.region(a.region)
        if a.building % 3 == 0, let province = region.province { w.buffer.append(contentsOf: province) }
        w.buffer.append(contentsOf: region.city)
        w.buffer.append(contentsOf: region.name)
        w.buffer.append(contentsOf: region.roads[a.road])
        integer(a.number, &w); w.buffer.append(contentsOf: Self.hao)
        switch a.form {
        case 1:
            integer(a.building, &w); w.buffer.append(contentsOf: Self.dong)
            integer(1 + a.room % 4, &w); w.buffer.append(contentsOf: Self.danyuan)
            integer(a.floor, &w); w.buffer.append(contentsOf: Self.lou)
            integer(a.room, &w); w.buffer.append(contentsOf: Self.hao)
        case 2:
            integer(a.floor, &w); w.buffer.append(contentsOf: Self.ceng)
            integer(a.room, &w); w.buffer.append(contentsOf: Self.hao)
        case 3:
            w.buffer.append(contentsOf: Self.fu); integer(a.room, &w); w.buffer.append(contentsOf: Self.hao)
        default: break
        }
        if a.asciiComma {
            w.buffer.append(0x2C)
            integer(a.floor, &w); w.buffer.append(contentsOf: Self.haoPu)
        }
    }

    func shopName(_ s: StorefrontPlan, _ w: inout CSVFileWriter) {
        let product = V.products(s.entity.category)[s.shopProduct]
        if s.shopQuoted {
            shopTrade(s, &w); w.buffer.append(contentsOf: Self.quotedGenuine); w.buffer.append(contentsOf: product)
            return
        }
        switch s.shopForm {
        case 0: shopTrade(s, &w); w.buffer.append(contentsOf: product); w.buffer.append(contentsOf: Self.flagship)
        case 1: shopTrade(s, &w); w.buffer.append(contentsOf: Self.officialFlagship)
        case 2: shopTrade(s, &w); w.buffer.append(contentsOf: product); w.buffer.append(contentsOf: Self.specialty)
        case 3: w.buffer.append(contentsOf: V.surnames[s.shopSurname]); w.buffer.append(contentsOf: Self.ji)
            w.buffer.append(contentsOf: product)
        case 4: shopTrade(s, &w); w.buffer.append(contentsOf: product); w.buffer.append(contentsOf: Self.littleShop)
        case 5: w.buffer.append(contentsOf: Self.lao); w.buffer.append(contentsOf: V.surnames[s.shopSurname])
            w.buffer.append(contentsOf: Self.jia); w.buffer.append(contentsOf: product)
        default: shopTrade(s, &w); w.buffer.append(contentsOf: Self.goodsShop)
        }
    }

    private func shopTrade(_ s: StorefrontPlan, _ w: inout CSVFileWriter) {
        w.buffer.append(contentsOf: V.tradeFirst[s.shopTrade1])
        w.buffer.append(contentsOf: V.tradeSecond[s.shopTrade2])
    }

    /// `9` + class + region + organization code (GB 11714 check) + check character (GB 32100).
    func uscc(_ e: EntityPlan, corruption: Int, _ w: inout CSVFileWriter) {
        let start = w.buffer.count
        w.buffer.append(0x39)
        w.buffer.append(e.type == .enterprise ? 0x31 : 0x32)
        w.buffer.append(contentsOf: V.region(e.region).code)
        let offset = Int(planner.seed >> 20)
        if e.numericOrganizationCode {
            // Converted from an old all-digit organization code; bijection mod 10^8 (golden-ratio multiplier).
            var n = (e.index &* 61_803_399 &+ offset) % 100_000_000
            var digits = [UInt8](repeating: 0x30, count: 8)
            for i in stride(from: 7, through: 0, by: -1) { digits[i] = 0x30 + UInt8(n % 10); n /= 10 }
            w.buffer.append(contentsOf: digits)
        } else {
            // New-style `MA6` + 5 characters; bijection mod 31^5 (17693749 is coprime to 31).
            var n = (e.index &* 17_693_749 &+ offset) % 28_629_151
            var chars: [UInt8] = [0x4D, 0x41, 0x36, 0, 0, 0, 0, 0]
            for i in stride(from: 7, through: 3, by: -1) { chars[i] = USCC.alphabet[n % 31]; n /= 31 }
            w.buffer.append(contentsOf: chars)
        }
        w.buffer.append(USCC.organizationCheckCharacter(Array(w.buffer[(start + 8)..<(start + 16)]))!)
        var sum = 0
        for i in 0..<17 { sum += Int(Self.usccValues[Int(w.buffer[start + i])]) * Self.usccWeights[i] }
        let check = (31 - sum % 31) % 31
        w.buffer.append(USCC.alphabet[(check + corruption) % 31])
    }

    func displayedUSCC(_ s: StorefrontPlan, _ w: inout CSVFileWriter) {
        let e = s.entity
        switch s.displayedUSCCForm {
        case 1:
            // The old 15-digit registration number (注册号) still on the homepage.
            w.buffer.append(contentsOf: V.region(e.region).code)
            w.buffer.append(e.type == .individualBusiness ? 0x36 : 0x30)
            var n = (e.index &* 48_271 &+ 12_345) % 100_000_000
            var digits = [UInt8](repeating: 0x30, count: 8)
            for i in stride(from: 7, through: 0, by: -1) { digits[i] = 0x30 + UInt8(n % 10); n /= 10 }
            w.buffer.append(contentsOf: digits)
        case 2:
            // Two neighbouring characters of the organization code swapped (a typing slip).
            let start = w.buffer.count
            uscc(e, corruption: s.usccCorruption, &w)
            var i = start + 9
            while i < start + 15 && w.buffer[i] == w.buffer[i + 1] { i += 1 }
            w.buffer.swapAt(i, i + 1)
        default:
            uscc(e, corruption: s.usccCorruption, &w)
        }
    }

    func licenceNumber(_ l: LicencePlan, _ e: EntityPlan, _ w: inout CSVFileWriter) {
        switch l.type {
        case .foodBusiness:
            // JY + 1 (食品销售) + 510xxx + 6-digit serial + check digit = JY + 14 digits.
            w.buffer.append(contentsOf: Self.jy1)
            w.buffer.append(contentsOf: V.region(e.region).code)
            padded(l.serial, width: 6, &w)
            integer((l.serial * 7 + e.region) % 10, &w)
        case .drugBusiness:
            w.buffer.append(contentsOf: Self.drugPrefix)
            padded(l.serial % 10_000, width: 4, &w)
        case .medicalDevice, .medicalDeviceFiling:
            w.buffer.append(contentsOf: l.filing ? Self.deviceFiling : Self.deviceLicence)
            integer(CivilDate(dayNumber: l.validFrom).year, &w)
            padded(l.serial % 10_000, width: 4, &w)
            w.buffer.append(contentsOf: Self.hao)
        case .prepackagedFoodFiling:
            // 仅销售预包装食品备案: YB + 2 (销售) + 510xxx + 6-digit serial + check digit [ours: the shape
            // local bureaus print; DOMAIN §7 gives none, and the agent checks none].
            w.buffer.append(contentsOf: Self.yb2)
            w.buffer.append(contentsOf: V.region(e.region).code)
            padded(l.serial, width: 6, &w)
            integer((l.serial * 3 + e.region) % 10, &w)
        case .publication:
            w.buffer.append(contentsOf: Self.publicationPrefix)
            padded(l.serial, width: 6, &w)
            w.buffer.append(contentsOf: Self.hao)
        case .other:
            w.buffer.append(contentsOf: Self.liquorPrefix)
            padded(l.serial, width: 6, &w)
        }
    }

    func issuer(_ l: LicencePlan, _ e: EntityPlan, _ w: inout CSVFileWriter) {
        w.buffer.append(contentsOf: V.region(e.region).city)
        switch l.type {
        case .medicalDevice where !l.filing:
            break   // class III licences come from the city bureau
        default:
            w.buffer.append(contentsOf: V.region(e.region).name)
        }
        switch l.type {
        case .publication: w.buffer.append(contentsOf: V.cultureBureau)
        case .other: w.buffer.append(contentsOf: Self.commerceBureau)
        default: w.buffer.append(contentsOf: V.marketRegulationBureau)
        }
    }

    // MARK: numbers and dates

    func integer(_ value: Int, _ w: inout CSVFileWriter) {
        if value < 0 { w.buffer.append(0x2D); integer(-value, &w); return }
        if value < 10 { w.buffer.append(0x30 + UInt8(value)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while n > 0 { raw[count] = 0x30 + UInt8(n % 10); n /= 10; count += 1 }
            for i in stride(from: count - 1, through: 0, by: -1) { w.buffer.append(raw[i]) }
        }
    }

    func padded(_ value: Int, width: Int, _ w: inout CSVFileWriter) {
        var p = 1
        for _ in 1..<width { p *= 10 }
        var n = value % (p * 10)
        while p > 0 { w.buffer.append(0x30 + UInt8(n / p)); n %= p; p /= 10 }
    }

    /// Fen as yuan with two decimals: 1234567 → 12345.67.
    func amount(_ fen: Int64, _ w: inout CSVFileWriter) {
        integer(Int(fen / 100), &w)
        w.buffer.append(0x2E)
        padded(Int(fen % 100), width: 2, &w)
    }

    func date(_ dayNumber: Int, _ w: inout CSVFileWriter) {
        let d = CivilDate(dayNumber: dayNumber)
        padded(d.year, width: 4, &w); w.buffer.append(0x2D)
        padded(d.month, width: 2, &w); w.buffer.append(0x2D)
        padded(d.day, width: 2, &w)
    }

    private static let hao = Array("号".utf8), dong = Array("栋".utf8), danyuan = Array("单元".utf8)
    private static let lou = Array("楼".utf8), ceng = Array("层".utf8), fu = Array("附".utf8)
    private static let haoPu = Array("号铺".utf8)
    private static let flagship = Array("旗舰店".utf8), officialFlagship = Array("官方旗舰店".utf8)
    private static let specialty = Array("专营店".utf8), littleShop = Array("小店".utf8)
    private static let goodsShop = Array("好物铺".utf8), ji = Array("记".utf8), lao = Array("老".utf8)
    private static let jia = Array("家".utf8), quotedGenuine = Array("\"正宗\"".utf8)
    private static let yb2 = Array("YB2".utf8)
    private static let jy1 = Array("JY1".utf8), drugPrefix = Array("川CB028".utf8)
    private static let deviceFiling = Array("川蓉市监械经营备".utf8), deviceLicence = Array("川蓉市监械经营许".utf8)
    private static let publicationPrefix = Array("新出发蓉零字第".utf8), liquorPrefix = Array("川酒零".utf8)
    private static let commerceBureau = Array("商务局".utf8)
}
