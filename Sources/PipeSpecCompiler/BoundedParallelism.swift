#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs independent calls on up to `limit` threads at once (like Terraform's
/// `-parallelism`), and returns their results in the order of the items.
package enum BoundedParallelism {
    package static func map<Item: Sendable, Result: Sendable>(_ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) -> Result) -> [Result] {
        guard items.count > 1, limit > 1 else { return items.map(body) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
        let next = Mutex(0)
        let work: @Sendable () -> Void = {
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < items.count else { return }
                let result = body(items[index])
                results.withLock { $0[index] = result }
            }
        }
        let threads = (0..<min(limit, items.count)).map { _ in WorkerThread(work) }
        for thread in threads { thread.join() }
        return results.withLock { $0.map { $0! } }
    }

    /// The processors online, for work that waits on the processor.
    package static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// A POSIX thread running one closure (Foundation's `Thread` would pull all of Foundation
/// into the binary, and slow every start of it).
private final class WorkerThread {
    private var thread = pthread_t()

    init(_ work: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Box(work)).toOpaque()
        let started = pthread_create(&thread, nil, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.work()
            return nil
        }, context)
        precondition(started == 0, "cannot start a thread")
    }

    func join() {
        pthread_join(thread, nil)
    }

    private final class Box {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }
}
