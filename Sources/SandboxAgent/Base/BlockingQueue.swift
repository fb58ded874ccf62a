import Glibc

/// A bounded queue between two threads: the producer blocks when it is full, the consumer when
/// it is empty, so memory stays bounded whatever the file size.
///
/// A ring of `capacity` slots: a taken element leaves its slot at once. (An array with a moving
/// head kept up to 64 taken batches alive until it was compacted; with their records' strings
/// that was 30 MiB of an ingest's peak, held for nothing: issue 16.)
///
/// `@unchecked Sendable`: every access to `slots`, `head`, `count` and `closed` happens under `mutex`.
final class BlockingQueue<Element>: @unchecked Sendable {
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private let capacity: Int
    private var closed = false
    private var mutex = pthread_mutex_t()
    private var notEmpty = pthread_cond_t()
    private var notFull = pthread_cond_t()

    init(capacity: Int) {
        precondition(capacity > 0, "a queue holds at least one element")
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&notEmpty, nil)
        pthread_cond_init(&notFull, nil)
    }

    deinit {
        pthread_mutex_destroy(&mutex)
        pthread_cond_destroy(&notEmpty)
        pthread_cond_destroy(&notFull)
    }

    /// Adds an element; false when the queue was closed (the consumer gave up): stop producing.
    @discardableResult
    func put(_ element: Element) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while count >= capacity && !closed { pthread_cond_wait(&notFull, &mutex) }
        if closed { return false }
        append(element)
        return true
    }

    /// The next element, or nil once the queue is closed and drained.
    func take() -> Element? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while count == 0 && !closed { pthread_cond_wait(&notEmpty, &mutex) }
        return removeFirst()
    }

    /// Adds an element if there is room and the queue is open, without waiting; false otherwise.
    func offer(_ element: Element) -> Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard count < capacity, !closed else { return false }
        append(element)
        return true
    }

    /// The next element if one is waiting, without waiting; nil otherwise.
    func poll() -> Element? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return removeFirst()
    }

    /// Under `mutex`, with room.
    private func append(_ element: Element) {
        slots[(head + count) % capacity] = element
        count += 1
        pthread_cond_signal(&notEmpty)
    }

    /// Under `mutex`: the first element, nil when there is none.
    private func removeFirst() -> Element? {
        guard count > 0, let element = slots[head].take() else { return nil }
        head = (head + 1) % capacity
        count -= 1
        pthread_cond_signal(&notFull)
        return element
    }

    /// Elements waiting to be taken.
    var waiting: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return count
    }

    /// Whether `close` was called (by either side).
    var isClosed: Bool {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return closed
    }

    /// No more elements will be put; waiting threads wake up.
    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&notEmpty)
        pthread_cond_broadcast(&notFull)
        pthread_mutex_unlock(&mutex)
    }
}
