import Hummingbird
import Logging
import SandboxService
import ServiceLifecycle

/// `sandbox-regulator serve`: the routes on a Hummingbird server at HOST:PORT.
public enum RegulatorServer {
    /// The application, ready to `runService()` or to run in a group; `onServerRunning` is called
    /// once the socket listens (systemd's READY=1 goes there). `limits` bound idle connections
    /// and their number (lowered to fit the open-file limit, with a log line saying so).
    public static func application(router: RegulatorRouter, host: String, port: Int,
                                   limits: ConnectionLimits = ConnectionLimits(),
                                   logger: Logger = Logger(label: "sandbox-regulator"),
                                   onServerRunning: @escaping @Sendable () async -> Void = {})
        -> some ApplicationProtocol {
        var limits = limits
        if let fitted = limits.fittingDescriptorLimit() {
            logger.notice("fewer connections than asked: the open-file limit leaves room for max_connections; raise LimitNOFILE= (ulimit -n) for more",
                          metadata: ["max_connections": "\(fitted.maxConnections)", "asked": "\(limits.maxConnections)"])
            limits = fitted
        }
        return Application(router: router.build(),
                           server: .http1(configuration: .init(idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)))),
                           configuration: .init(address: .hostname(host, port: port), serverName: "sandbox-regulator",
                                                availableConnectionsDelegate: .maximum(limits.maxConnections, logger: logger)),
                           onServerRunning: { _ in await onServerRunning() },
                           logger: logger)
    }

    /// `serve` as systemd sees it: READY=1 once listening, WATCHDOG=1 while the store answers a
    /// query (a wedged store is restarted), STOPPING=1 first on SIGTERM — the notices are the last
    /// service of the group, so the first to stop — then the server drains its connections,
    /// within `stopTimeoutSeconds`.
    ///
    /// With `platformsFile`, SIGHUP re-reads it (`PlatformsReload`): rotated credentials without a
    /// restart.
    public static func serve(router: RegulatorRouter, store: RegulatorStore, host: String, port: Int,
                             platformsFile: String? = nil, stopTimeoutSeconds: Int = 20,
                             limits: ConnectionLimits = ConnectionLimits(), turnoverIntervalSeconds: Int = 600,
                             logger: Logger = Logger(label: "sandbox-regulator")) async throws {
        let notifier = SystemdNotifier()
        let app = application(router: router, host: host, port: port, limits: limits, logger: logger) {
            notifier.ready(status: "listening on \(host):\(port)")
        }
        let systemd = SystemdService(notifier: notifier, probe: {
            do { try await store.ping(); return true } catch { return false }
        })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        if let platformsFile {
            services.append(.init(service: PlatformsReload(path: platformsFile, platforms: router.authenticator.platforms,
                                                           notifier: notifier, logger: logger).service))
        }
        if let wakeups = store.directiveWakeups(logger: logger, ring: { router.bell.ring() }) {
            services.append(.init(service: wakeups))
        }
        let budget = router.budget
        let foreground = store.foreground, intakeToo = store.keeperGivesWayToIntake
        let busy: @Sendable () -> Bool = { foreground.busy || (intakeToo && budget.inUse > 0) }
        services.append(.init(service: RosterKeeper(store: store, logger: logger, ring: { router.bell.ring() },
                                                    batch: store.rosterTurn, busy: busy)))
        services.append(.init(service: TurnoverKeeper(store: store, logger: logger, interval: .seconds(turnoverIntervalSeconds),
                                                      ring: { router.bell.ring() })))
        services.append(.init(service: systemd))  // last: the first to hear of a stop
        var config = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        config.maximumGracefulShutdownDuration = .seconds(stopTimeoutSeconds)
        try await ServiceGroup(configuration: config).run()
    }

    /// `HOST:PORT` split, or nil when it is not of that form.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
