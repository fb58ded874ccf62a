import Logging
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// Rings this node's directive bell whenever any node commits a directive: a connection of its
/// own LISTENs on the channel every directive's transaction NOTIFYs. A notification carries no
/// data — pollers read directives by cursor from the table — so one lost while the connection
/// was down costs latency, never a directive: on every (re)connect the bell rings once, and a
/// long poll re-reads at its timeout anyway.
struct PostgresDirectiveListener: Service {
    static let channel = "sandbox_directives"

    let location: PostgresLocation
    let logger: Logger
    let ring: @Sendable () -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        on: MultiThreadedEventLoopGroup.singleton.next(), configuration: location.configuration,
                        id: 0, logger: logger).get()
                    do {
                        try await connection.listen(on: Self.channel) { notifications in
                            ring()
                            for try await _ in notifications { ring() }
                        }
                        try? await connection.close()
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("directive notifications interrupted; long polls on this node wake at their timeout until it reconnects",
                                   metadata: ["store": "\(location.display)", "error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}
