import Foundation
import XCTest
@testable import SandboxAgent

/// The bounded queue between the ingest's threads: order kept through its ring, the producer held
/// at capacity, close wakes both sides, and a taken element is released at once (issue 16: the
/// queue had kept up to 64 taken batches alive).
final class BlockingQueueTests: XCTestCase {
    func testElementsComeOutInOrderThroughManyWrapArounds() {
        let queue = BlockingQueue<Int>(capacity: 3)
        let producer = Thread {
            for i in 0..<10_000 { queue.put(i) }
            queue.close()
        }
        producer.start()
        var taken: [Int] = []
        while let i = queue.take() { taken.append(i) }
        XCTAssertEqual(taken, Array(0..<10_000))
    }

    /// `offer` and `poll` never wait: the writer hands spent batches to the reader this way, and
    /// neither may block on the other (the reader may be done, the writer behind).
    func testOfferAndPollNeverWait() {
        let queue = BlockingQueue<Int>(capacity: 2)
        XCTAssertNil(queue.poll(), "empty")
        XCTAssertTrue(queue.offer(1))
        XCTAssertTrue(queue.offer(2))
        XCTAssertFalse(queue.offer(3), "full: refused, not waited for")
        XCTAssertEqual(queue.poll(), 1)
        XCTAssertTrue(queue.offer(4))
        XCTAssertEqual([queue.poll(), queue.poll(), queue.poll()], [2, 4, nil])
        queue.close()
        XCTAssertFalse(queue.offer(5), "closed")
    }

    func testTheProducerWaitsAtCapacity() {
        let queue = BlockingQueue<Int>(capacity: 2)
        let putCount = PutCount()
        let producer = Thread {
            for i in 0..<5 {
                queue.put(i)
                putCount.increment()
            }
        }
        producer.start()
        // The producer gets two in and then waits for room.
        let deadline = Date().addingTimeInterval(5)
        while putCount.value < 2 && Date() < deadline { usleep(1_000) }
        usleep(50_000)
        XCTAssertEqual(putCount.value, 2, "a full queue holds the producer")
        XCTAssertEqual(queue.take(), 0)
        while putCount.value < 3 && Date() < deadline { usleep(1_000) }
        usleep(50_000)
        XCTAssertEqual(putCount.value, 3, "one taken, one more put")
        queue.close()
    }

    func testCloseEndsTheConsumerAfterTheRestAndRefusesNewElements() {
        let queue = BlockingQueue<String>(capacity: 4)
        XCTAssertTrue(queue.put("a"))
        XCTAssertTrue(queue.put("b"))
        queue.close()
        XCTAssertFalse(queue.put("c"), "closed: the producer is told to stop")
        XCTAssertEqual(queue.take(), "a")
        XCTAssertEqual(queue.take(), "b")
        XCTAssertNil(queue.take())
    }

    func testATakenElementIsNotKeptByTheQueue() {
        final class Batch {}
        let queue = BlockingQueue<Batch>(capacity: 4)
        weak var first: Batch?
        do {
            let batch = Batch()
            first = batch
            queue.put(batch)
        }
        XCTAssertNotNil(first, "held by the queue while waiting")
        _ = queue.take()
        XCTAssertNil(first, "released as soon as it is taken")
        // And after many puts and takes, nothing taken stays behind.
        var taken: [Batch?] = []
        weak var last: Batch?
        for _ in 0..<100 {
            let b = Batch()
            last = b
            queue.put(b)
            taken.append(queue.take())
        }
        taken.removeAll()
        XCTAssertNil(last)
    }
}

/// How many puts returned, read from the test's thread.
private final class PutCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
