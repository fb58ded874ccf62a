import Foundation

/// A step an officer records on a lead, as asked (POST /v1/admin/leads/{platform}/{case}/steps).
public struct LeadStep: Sendable, Codable, Equatable {
    public var action: LeadAction
    /// `assign`: the officer (username) who takes the lead.
    public var assignee: String?
    /// What was found or decided, in the officer's words (核查 findings, 立案 number, reasons).
    public var note: String?
    /// `transfer`: the organ it goes to.
    public var transferredTo: String?
    /// `close`: the measure taken (责令改正, 警告, 罚款, 没收违法所得 …).
    public var measure: String?
    /// `close`: the penalty amount in fen (0 when none).
    public var penaltyFen: Int64?

    enum CodingKeys: String, CodingKey {
        case action, assignee, note, measure
        case transferredTo = "transferred_to", penaltyFen = "penalty_fen"
    }

    public init(action: LeadAction, assignee: String? = nil, note: String? = nil, transferredTo: String? = nil,
                measure: String? = nil, penaltyFen: Int64? = nil) {
        self.action = action; self.assignee = assignee; self.note = note; self.transferredTo = transferredTo
        self.measure = measure; self.penaltyFen = penaltyFen
    }

    /// Why this step cannot follow `stage`, or nil when it may. Pure: the rules of the work.
    public func problem(after stage: LeadStage) -> String? {
        guard action.allowedFrom.contains(stage) else {
            let from = LeadStage.allCases.filter(action.allowedFrom.contains).map(\.rawValue).joined(separator: ", ")
            return "a lead in stage \(stage.rawValue) cannot take `\(action.rawValue)`; it follows \(from)"
        }
        func present(_ text: String?) -> Bool { !(text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        switch action {
        case .assign:
            if !present(assignee) { return "`assign` needs `assignee`: the officer's username" }
        case .verify, .file:
            if !present(note) { return "`\(action.rawValue)` needs `note`: what was found (核查) or the case number (立案)" }
        case .notFile:
            if !present(note) { return "`not_file` needs `note`: why no case is opened (不予立案的理由)" }
        case .transfer:
            if !present(transferredTo) { return "`transfer` needs `transferred_to`: the organ it goes to" }
        case .close:
            if !present(measure) { return "`close` needs `measure`: what was decided (责令改正, 警告, 罚款 …)" }
            if let fen = penaltyFen, fen < 0 { return "`penalty_fen` cannot be negative" }
        }
        return nil
    }
}
