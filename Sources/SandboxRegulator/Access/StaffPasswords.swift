import Foundation
import Synchronization

/// How this regulator hashes and checks staff passwords: the scrypt cost of hashes it makes from
/// now on (`serve --staff-password-log2n`; hashes keep their own cost, so a change needs no migration),
/// and the decoy an unknown username is checked against, made at that cost so that timing does not
/// tell which usernames exist.
///
/// Both run on one thread of their own, one hash at a time, not on the server's threads: a hash is
/// tens of milliseconds of CPU and 32 MiB by design. The cooperative pool has as many threads as
/// cores, so on a two-core regulator two logins at once would hold every other request (feeds,
/// pages) behind them; a crowd of logins on threads of their own would take 32 MiB each. One at a
/// time is about twenty logins a second in a release build.
public final class StaffPasswords: Sendable {
    public let parameters: PasswordHash.Parameters
    private let decoyHash = Mutex<String?>(nil)
    private static let queue = DispatchQueue(label: "staff-passwords")

    public init(parameters: PasswordHash.Parameters = .standard) {
        self.parameters = parameters
    }

    /// Whether hashes made now are weaker than the standard: `serve` announces it at start.
    public var belowStandard: Bool { parameters.log2N < PasswordHash.Parameters.standard.log2N }

    /// A new password's hash at this regulator's cost.
    func make(_ password: String) async throws -> String {
        let parameters = parameters
        return try await Self.offPool { try PasswordHash.make(password, parameters: parameters) }
    }

    /// Whether `password` matches `stored`; nil `stored` (no such account) checks the decoy, and
    /// answers false.
    func verify(_ password: String, against stored: String?) async -> Bool {
        let matches = (try? await Self.offPool { [self] in PasswordHash.verify(password, against: stored ?? decoy()) }) ?? false
        return stored != nil && matches
    }

    private func decoy() -> String {
        decoyHash.withLock { decoy in
            if let decoy { return decoy }
            let made = (try? PasswordHash.make(UUID().uuidString, parameters: parameters)) ?? ""
            decoy = made
            return made
        }
    }

    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
