import Glibc

/// The signals a service group handles, blocked in the calling thread before any other thread
/// exists.
///
/// Why: on Linux, Dispatch receives signals for the group through a signalfd, which only sees a
/// signal that is blocked in every thread; a thread with it unblocked takes the default action —
/// for SIGTERM, SIGINT and SIGHUP, ending the process at once, the batch in hand cut off. Threads
/// inherit the mask of the thread that creates them, so blocking here, first, covers them all.
/// The mask also survives `execve`: a SIGTERM arriving while the agent re-executes itself to
/// apply a new config stays pending and is handled by the new run's group, not lost.
public enum ServiceSignals {
    public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    public static func blockInThisThread() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
