import ArgumentParser
import Foundation
import SandboxRegulator

/// `sandbox-regulator staff add|disable|enable|list`: staff accounts on the server's database
/// (the API has the same under /v1/admin/staff). A password is read from a file or standard
/// input, never from the command line, where `ps` and shell history would show it.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage staff accounts: city, district, association and auditor roles.",
        subcommands: [Add.self, Disable.self, Enable.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a staff account.")
        @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String
        @Option(help: "Login name: a-z 0-9 . _ - (lowercase).") var username: String
        @Option(help: "city | district | association | auditor.") var role: String
        @Option(help: "For a district account: its bureau's 6-digit 行政区划代码, e.g. 510104.") var district: String?
        @Option(help: "For an association account: the association's id.") var association: String?
        @Option(help: "The name shown to people (default: the username).") var displayName: String?
        @Option(help: "File holding the password (its first line), or - for standard input.") var passwordFile: String

        func run() async throws {
            guard let role = StaffRole(rawValue: role) else {
                throw ValidationError("--role must be city, district, association or auditor; got \(role)")
            }
            let password = try readPassword(passwordFile)
            guard password.count >= PasswordHash.minimumLength else {
                throw ValidationError("the password must have at least \(PasswordHash.minimumLength) characters")
            }
            let store = try await RegulatorStore.open(db)
            do {
                let member = try await store.write { try $0.addStaff(
                    username: username, displayName: displayName ?? username, role: role, district: district,
                    association: association, passwordHash: try PasswordHash.make(password), now: Int64(Date().timeIntervalSince1970)) }
                print("added \(member.label)")
            } catch let e as StaffError {
                throw ValidationError(e.description)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its sessions end and its tokens are revoked.")
        @OptionGroup var account: Account
        func run() async throws { try await account.set(disabled: true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again (it logs in anew).")
        @OptionGroup var account: Account
        func run() async throws { try await account.set(disabled: false) }
    }

    /// The database and the username, for the commands that act on one account.
    struct Account: ParsableArguments {
        @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String
        @Argument(help: "The username.") var username: String

        func set(disabled: Bool) async throws {
            guard try await RegulatorStore.open(db).write({ try $0.setStaffDisabled(username: username, disabled) }) else {
                throw ValidationError("no staff account \(username)")
            }
            print("\(disabled ? "disabled" : "enabled") \(username)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff accounts.")
        @Option(help: "The regulator's store: a SQLite file, or postgres://USER@HOST/DATABASE.") var db: String
        @Flag(help: "One JSON object per account.") var json = false
        func run() async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for m in try await RegulatorStore.open(db).read({ try $0.staffList() }) {
                if json {
                    print(String(decoding: try encoder.encode(m), as: UTF8.self))
                } else {
                    print([m.username, m.role.rawValue, m.district ?? m.association ?? "-", m.disabled ? "disabled" : "enabled",
                           m.displayName].joined(separator: "\t"))
                }
            }
        }
    }
}

/// The first line of a file, or of standard input for `-`, without its line break.
private func readPassword(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the password file \(path)")
        }
        data = d
    }
    let text = String(decoding: data, as: UTF8.self)
    return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
}
