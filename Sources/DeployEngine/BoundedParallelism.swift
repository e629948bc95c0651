import Foundation
import Synchronization

/// Runs independent calls on up to `limit` threads at once (like Terraform's
/// `-parallelism`): the calls wait on the network, not on the processor.
enum BoundedParallelism {
    static func map<Item: Sendable, Result: Sendable>(_ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) -> Result) -> [Result] {
        guard items.count > 1, limit > 1 else { return items.map(body) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: items.count))
        let next = Mutex(0)
        let done = DispatchSemaphore(value: 0)
        let workers = min(limit, items.count)
        for _ in 0..<workers {
            let thread = Thread {
                while true {
                    let index = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard index < items.count else { break }
                    let result = body(items[index])
                    results.withLock { $0[index] = result }
                }
                done.signal()
            }
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
        return results.withLock { $0.map { $0! } }
    }
}
