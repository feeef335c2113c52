import Foundation
import Synchronization

/// The threads that run request handlers and WebSocket sessions: a task executor of the
/// server's own, so that handlers get a thread even while other work keeps Swift's global pool
/// (only as many threads as cores) busy. Tasks started with this executor as their preference
/// run here, and come back here after each `await`.
final class HandlerExecutor: TaskExecutor, Sendable {
    private struct Queue {
        var jobs: [UnownedJob] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let wakeUps = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts `threads` worker threads; they run until `shutdown()`.
    init(threads: Int, name: String = "orderbot-handler") {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.jobs.append(unowned)
            return true
        }
        if accepted {
            wakeUps.signal()
        } else {
            // A task that outlived its server (a handler past the shutdown grace) finishes on
            // the global pool instead of waiting for threads that are gone.
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
        }
    }

    /// Lets the worker threads end once every job queued so far has run; later jobs go to the
    /// global pool.
    func shutdown() {
        queue.withLock { $0.stopping = true }
        for _ in 0..<threadCount { wakeUps.signal() }
    }

    private func work() {
        while true {
            wakeUps.wait()
            let next = queue.withLock { queue -> UnownedJob?? in
                guard queue.head < queue.jobs.count else { return queue.stopping ? .some(nil) : nil }
                let job = queue.jobs[queue.head]
                queue.head += 1
                if queue.head > 1_024, queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return .some(job)
            }
            switch next {
            case .some(.some(let job)): job.runSynchronously(on: asUnownedTaskExecutor())
            case .some(.none): return
            case .none: continue
            }
        }
    }
}
