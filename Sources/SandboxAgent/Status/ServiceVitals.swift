import Logging

/// The service's signs of life for its operators: the heartbeat file every 5 s and the metrics
/// text file every `metrics_interval_seconds` and after a pass that took files. Driven by the
/// pipeline's loop, because it is the pipeline's liveness they vouch for.
final class ServiceVitals {
    let config: AgentConfig
    let clock: AgentClock
    let logger: Logger
    /// When this process started serving (real time), for the metrics.
    private let startedAt = AgentClock.realUnixTime()
    private var lastBeat: Int64 = 0
    private var lastMetrics: Int64 = 0

    init(config: AgentConfig, clock: AgentClock, logger: Logger) {
        self.config = config
        self.clock = clock
        self.logger = logger
    }

    /// The first beat, when the service starts watching.
    func beat() {
        Heartbeat.touch(config)
        lastBeat = AgentClock.realUnixTime()
    }

    /// Beats and rewrites the metrics, each when it is due.
    func tick() {
        if AgentClock.realUnixTime() - lastBeat >= 5 { beat() }
        if AgentClock.realUnixTime() - lastMetrics >= Int64(config.metricsIntervalSeconds) { writeMetrics() }
    }

    /// Rewrites the metrics text file, when one is configured; a failure is logged, never fatal.
    func writeMetrics() {
        defer { lastMetrics = AgentClock.realUnixTime() }
        guard let path = config.metricsTextfile else { return }
        do {
            let status = try AgentStatus.collect(config: config, clock: clock)
            try MetricsText.write(MetricsText.render(status, nowUnix: clock.unixTime, startedAt: startedAt), to: path)
        } catch {
            logger.warning("cannot write the metrics file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
