import Foundation
import SandboxCore
import SandboxPolicy

/// Who may be drawn to inspect, as the draw form gives them: the inspectors file the command
/// takes (`--inspectors`, uploaded), or staff accounts of the organising bureau ticked on the
/// form. They are resolved once, when the preview is asked for, and kept with its preparation
/// (DrawPreparationRequest), so the draw uses exactly the inspectors previewed.
struct DrawInspectors {
    /// The uploaded file's text, when one was given.
    var fileText: String?
    /// Usernames ticked on the form.
    var usernames: [String]

    /// The staff accounts of the bureau that organises the draw: the city's own accounts for the
    /// city (any region), a district bureau's accounts for it (its division).
    static func bureauStaff(of identity: Identity, store: RegulatorStore) async throws -> [StaffMember] {
        let all = try await store.read { try $0.staffList() }
        return all.filter { m in
            guard !m.disabled else { return false }
            switch identity.jurisdiction {
            case .district(let code)?: return m.role == .district && m.district == code
            default: return m.role == .city
            }
        }
    }

    /// A staff account as an inspector: its username is the id; a district account covers its division.
    static func inspector(_ m: StaffMember) -> Inspector {
        Inspector(id: m.username, name: m.displayName, unit: m.district ?? "city", regions: m.district.map { [$0] } ?? [], active: true)
    }

    /// The inspectors of the choice; a username that is not one of the bureau's accounts is refused.
    func inspectors(_ identity: Identity, store: RegulatorStore) async throws -> [Inspector] {
        if let fileText {
            do { return try InspectorsFile.parse(fileText, file: "the inspectors file") } catch {
                throw APIError(.badRequest, error.message)
            }
        }
        guard !usernames.isEmpty else {
            throw APIError(.badRequest, "upload an inspectors file or tick the staff who may inspect, then preview again")
        }
        let staff = Dictionary(uniqueKeysWithValues: try await Self.bureauStaff(of: identity, store: store).map { ($0.username, $0) })
        return try usernames.map { name in
            guard let m = staff[name] else {
                throw APIError(.badRequest, "\(name) is not an active staff account of your bureau; tick only the accounts the form offers")
            }
            return Self.inspector(m)
        }
    }

    /// From the new-draw form: a file chosen wins over ticked accounts.
    init(upload: ConsoleUpload) {
        if let bytes = upload.files["inspectors_file"], !bytes.isEmpty {
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            fileText = text
        }
        usernames = upload.values("inspector")
    }
}
