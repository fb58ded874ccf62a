import SandboxCore

/// The figures the seed reports for the sandbox (9 platforms, 469,000 online merchants, 132,000
/// in the sandbox, 190,000 prompts pushed, 12,000 rectifications …), for a period and a region,
/// from what the regulator holds. A figure the regulator does not record yet is null, never 0.
public struct OutcomeReport: Sendable, Encodable, Equatable {
    /// First and last day (Asia/Shanghai), inclusive.
    public var from: String
    public var to: String
    /// A division-code prefix of the enterprises' registration (USCC characters 3–8): `5101`
    /// Chengdu, `510104` 锦江区; nil: everywhere.
    public var region: String?

    // Standing now (not bound to the period).
    public var platforms: Int
    public var associations: Int
    /// Online storefronts trading now — every storefront a platform reported, less those it
    /// reported closed (issue 13: a closed shop is no merchant of the city) — and the
    /// enterprises (USCCs) behind the storefronts reported.
    public var merchants: Int
    public var enterprises: Int
    /// Enterprises in the sandbox now (the roster as GET /v1/admin/roster shows it).
    public var sandboxMembers: Int
    /// Enterprises whose roster decision the keeper has still to bring up to date, counted in
    /// `sandboxMembers` as last decided (StoreSession.rosterDecidedByARead): 0 but right after a
    /// large load. In the JSON only when not 0; not a figure of the report's rows.
    public var sandboxMembersUndecided: Int = 0
    /// The place has more than `sandboxMembersUndecided` of them: the read listed that many and
    /// stopped (StoreSession.rosterBacklogReadByARead). In the JSON only when true.
    public var sandboxMembersUndecidedIsMore: Bool = false

    // Within the period.
    public var promptsPushed: Int
    /// Cases opened (违法预警线索).
    public var leads: Int
    /// Cases rectified, and of those by their deadline.
    public var rectified: Int
    public var rectifiedInTime: Int
    /// Art. 33 determinations the agents recommended on rectification.
    public var noPenaltyRecommendations: Int
    /// Officers' art. 33 decisions not to penalise (不予处罚, 可以不予处罚 applied) within the period.
    public var noPenaltyDecisions: Int?
    /// Suspend and terminate (stop service) instructions issued.
    public var suspensions: Int
    public var terminations: Int
    /// Takedown (下架) instructions issued: goods that need a licence the merchant lacks, taken
    /// down at once (DOMAIN §3 RL-04).
    public var takedowns: Int = 0
    /// Leads the bureaus closed (结案), and the penalties they recorded (fen).
    public var leadsClosed: Int
    public var penaltiesFen: Int64
    /// Credit repairs approved (the list entry ended) within the period.
    public var repairs: Int?

    enum CodingKeys: String, CodingKey {
        case from, to, region, platforms, associations, merchants, enterprises, leads, rectified, suspensions, terminations, repairs
        case takedowns
        case sandboxMembers = "sandbox_members", sandboxMembersUndecided = "sandbox_members_undecided",
             sandboxMembersUndecidedIsMore = "sandbox_members_undecided_more", promptsPushed = "prompts_pushed", rectifiedInTime = "rectified_in_time"
        case noPenaltyRecommendations = "no_penalty_recommendations", noPenaltyDecisions = "no_penalty_decisions"
        case leadsClosed = "leads_closed", penaltiesFen = "penalties_fen"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in rows { try c.encode(value, forKey: CodingKeys(stringValue: key)!) }
        try c.encode(from, forKey: .from); try c.encode(to, forKey: .to); try c.encode(region, forKey: .region)
        if sandboxMembersUndecided > 0 { try c.encode(sandboxMembersUndecided, forKey: .sandboxMembersUndecided) }
        if sandboxMembersUndecidedIsMore { try c.encode(true, forKey: .sandboxMembersUndecidedIsMore) }
    }

    /// The figures in the order people read them, for text, CSV and JSON alike.
    public var rows: [(String, Int64?)] {
        [("platforms", Int64(platforms)), ("associations", Int64(associations)), ("merchants", Int64(merchants)),
         ("enterprises", Int64(enterprises)), ("sandbox_members", Int64(sandboxMembers)),
         ("prompts_pushed", Int64(promptsPushed)), ("leads", Int64(leads)), ("rectified", Int64(rectified)),
         ("rectified_in_time", Int64(rectifiedInTime)), ("no_penalty_recommendations", Int64(noPenaltyRecommendations)),
         ("no_penalty_decisions", noPenaltyDecisions.map(Int64.init)), ("suspensions", Int64(suspensions)),
         ("terminations", Int64(terminations)), ("takedowns", Int64(takedowns)), ("leads_closed", Int64(leadsClosed)), ("penalties_fen", penaltiesFen),
         ("repairs", repairs.map(Int64.init))]
    }

    /// Chinese labels for the text table (the seed's words).
    public static let labels: [String: String] = [
        "platforms": "平台", "associations": "行业协会/信用服务机构", "merchants": "在营网店（经营者）", "enterprises": "企业（统一社会信用代码）",
        "sandbox_members": "纳入信用沙盒", "prompts_pushed": "推送提示", "leads": "违法预警线索", "rectified": "整改",
        "rectified_in_time": "按期整改", "no_penalty_recommendations": "首违不罚建议", "no_penalty_decisions": "首违不罚决定",
        "suspensions": "暂停服务", "terminations": "停止服务", "takedowns": "下架", "leads_closed": "线索结案", "penalties_fen": "罚没款（分）",
        "repairs": "信用修复",
    ]

    /// The period asked for, with the defaults of both the API and the command: `to` today,
    /// `from` 1 January of `to`'s year; nil when a day is not YYYY-MM-DD or from is after to.
    public static func period(from: String?, to: String?, today: CivilDate) -> (from: CivilDate, to: CivilDate)? {
        guard let last = CivilDate(isoText: to ?? today.description),
              let first = CivilDate(isoText: from ?? "\(last.year)-01-01"), first <= last else { return nil }
        return (first, last)
    }

    /// Checks a region prefix: 2, 4 or 6 digits of a division code.
    public static func isRegion(_ text: String) -> Bool {
        [2, 4, 6].contains(text.utf8.count) && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
