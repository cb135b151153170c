import Parallelism
import Synchronization
import XCTest

/// The one chunking rule: every index in exactly one chunk, chunks contiguous and in order, at
/// least `grain` items each, at most four per core, and results collected in chunk order.
final class ParallelTests: XCTestCase {
    func testTheCoreCountIsTheMachinesAndAtLeastOne() {
        XCTAssertGreaterThanOrEqual(Parallel.cores, 1)
        XCTAssertEqual(Parallel.cores, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    func testChunkCountHonoursTheGrainAndTheCap() {
        XCTAssertEqual(Parallel.chunkCount(0, grain: 10), 1)
        XCTAssertEqual(Parallel.chunkCount(9, grain: 10), 1)
        XCTAssertEqual(Parallel.chunkCount(20, grain: 10), min(2, Parallel.cores * 4))
        XCTAssertEqual(Parallel.chunkCount(1 << 30, grain: 1), Parallel.cores * 4)
        XCTAssertEqual(Parallel.chunkCount(100, grain: 0), min(100, Parallel.cores * 4), "a grain of 0 counts as 1")
    }

    func testChunksTileTheRangeInOrder() {
        for count in [0, 1, 7, 100, 1001] {
            for chunks in 1...9 {
                var next = 0
                for c in 0..<chunks {
                    let r = Parallel.range(c, of: chunks, count: count)
                    XCTAssertEqual(r.lowerBound, next, "count \(count), chunk \(c) of \(chunks)")
                    next = r.upperBound
                }
                XCTAssertEqual(next, count)
            }
        }
    }

    func testEveryIndexIsVisitedExactlyOnceAcrossThreads() {
        let count = 100_003
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        let chunksSeen = Mutex<[Range<Int>]>([])
        nonisolated(unsafe) let slots = visits
        Parallel.forEachChunk(count, grain: 1000) { _, range in
            chunksSeen.withLock { $0.append(range) }
            for i in range { slots[i] += 1 }
        }
        let ranges = chunksSeen.withLock { $0 }
        XCTAssertEqual(ranges.count, Parallel.chunkCount(count, grain: 1000))
        XCTAssertTrue(ranges.allSatisfy { $0.count >= 1000 })
        XCTAssertTrue(visits.allSatisfy { $0 == 1 })
    }

    func testMapChunksKeepsChunkOrder() {
        let sums = Parallel.mapChunks(10_000, grain: 100) { range in range.reduce(0, +) }
        XCTAssertEqual(sums.reduce(0, +), (0..<10_000).reduce(0, +))
        let firsts = Parallel.mapChunks(10_000, grain: 100) { $0.lowerBound }
        XCTAssertEqual(firsts, firsts.sorted())
        XCTAssertEqual(firsts.first, 0)
    }
}
