import Foundation
import Hummingbird
import SandboxCore

/// GET /v1/admin/roster and POST /v1/admin/roster/{uscc} (docs/policy.md §5.3, §10.3).
extension RegulatorRouter {
    func getRoster(_ request: Request) async throws -> Response {
        let uscc = try request.uri.queryParameters.get("uscc").map { try Self.usccParameter($0) }
        let entries = try await store.read { try $0.roster(uscc: uscc, now: Timestamp.now()) }
        if let uscc, entries.isEmpty {
            throw APIError(.notFound, "no platform sent a roster or class decision for USCC \(uscc), and no override was recorded")
        }
        // A pack that no longer compiles must not hide the roster: the note is then absent.
        let pack = try? await store.read { try $0.publishedPack() }
        return JSONResponse.make(.ok, RosterAnswer(priorityNote: pack?.roster.priorityNote, packVersion: pack?.packVersion,
                                                  entries: entries))
    }

    func postRosterOverride(_ request: Request, uscc raw: String) async throws -> Response {
        let uscc = try Self.usccParameter(raw)
        let body = try await body(request, limit: 1 << 20)
        let asked: RosterOverrideRequest
        do { asked = try JSONDecoder().decode(RosterOverrideRequest.self, from: Data(body)) } catch {
            throw APIError(.badRequest, #"body must be JSON {"action": "admit"|"remove", "reason": "…", "basis": "…", "hold_days": N}"#)
        }
        let (recorded, directives) = try await RosterOverrides(store: store, bell: bell).record(asked, uscc: uscc)
        return JSONResponse.make(.created, RosterOverrideAnswer(override: recorded, directives: directives))
    }

    /// An 18-character USCC (or 15-digit registration number) from a path or query, or 400.
    static func usccParameter(_ text: String) throws -> String {
        do { return try NumberField.usccShape(text) } catch {
            throw APIError(.badRequest, "USCC \(text): \(error.reason)")
        }
    }
}

/// POST /v1/admin/roster/{uscc} body.
struct RosterOverrideRequest: Decodable {
    var action: String
    var reason: String
    var basis: String?
    var holdDays: Int?
    enum CodingKeys: String, CodingKey { case action, reason, basis, holdDays = "hold_days" }
}
