import CTCPInfo
import CMicroHTTPD
import Glibc

// libmicrohttpd's callbacks, as methods of the `Server` that `cls` points to. A request's
// `RequestContext` is made in `requestLine` (the URI log callback, the first call of every
// request), kept in `con_cls` (retained) and released in `completed`.

extension Server {
    /// The request line is in: makes the request's context from the target as sent.
    func requestLine(_ uri: UnsafePointer<CChar>, connection: OpaquePointer?) -> UnsafeMutableRawPointer? {
        let length = strlen(uri)
        let target = uri.withMemoryRebound(to: UInt8.self, capacity: length) {
            RequestTarget(bytes: UnsafeBufferPointer(start: $0, count: length))
        }
        let context = RequestContext(target: target, targetLength: length, budget: budget)
        statistics.inFlightCount.add(1, ordering: .relaxed)
        let raw = Unmanaged.passRetained(context).toOpaque()
        if let connection { headsInProgress.started(connection, context: raw) }
        return raw
    }

    /// libmicrohttpd's access handler: called with the head, then with each piece of body, then
    /// with no data once the body is complete (and again after a suspended request resumes).
    func access(_ connection: OpaquePointer, url: UnsafePointer<CChar>?, method: UnsafePointer<CChar>?,
                version: UnsafePointer<CChar>?, data: UnsafePointer<CChar>?, size: UnsafeMutablePointer<Int>,
                context slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let raw = slot.pointee else { return .NO }
        let context = Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()
        if case .head = context.phase {
            return head(context, connection, url: url, method: method, version: version)
        }
        let count = size.pointee
        if count > 0 {
            size.pointee = 0
            return data.map { bytes in
                bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
                    body(context, connection, UnsafeRawBufferPointer(start: $0, count: count))
                }
            } ?? .YES
        }
        return complete(context, connection)
    }

    /// libmicrohttpd's completion callback: the answer is sent, or the connection is gone.
    func completed(_ connection: OpaquePointer?, context slot: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                   code: MHD_RequestTerminationCode) {
        guard let raw = slot.pointee else { return }
        slot.pointee = nil
        if let connection { headsInProgress.ended(connection, context: raw) }
        let context = Unmanaged<RequestContext>.fromOpaque(raw).takeRetainedValue()
        if case .computing(let answer) = context.phase {
            // The connection went while its answer was being computed (the daemon stopped).
            answer.cancellation.cancel()
            pending.remove(answer)
        }
        if var report = context.report {
            if code != .REQUEST_TERMINATED_COMPLETED_OK {
                report.complete = false
                let acked = connection.map { tcp_info_bytes_acked(cmhd_connection_fd($0)) } ?? -1
                report.bytesOut = acked >= 0 && context.ackedBeforeAnswer >= 0 ? Int(acked - context.ackedBeforeAnswer) : nil
            }
            observer?(report)
        }
        context.body = []
        if context.memory.release() >= 1 << 20 || context.bytesIn >= 1 << 20 { trimWanted.store(true, ordering: .relaxed) }
        statistics.inFlightCount.subtract(1, ordering: .relaxed)
        if let connection, code == .REQUEST_TERMINATED_COMPLETED_OK {
            connections.answered(connection, nextHeadBy: MonotonicClock.now() + Double(configuration.connectionTimeout))
            if context.sendTimeoutSet { cmhd_set_timeout(connection, UInt32(configuration.connectionTimeout)) }
        }
    }

    /// libmicrohttpd's connection notifier: a connection opened or closed.
    func connectionChanged(_ connection: OpaquePointer, code: MHD_ConnectionNotificationCode) {
        if code == .CONNECTION_NOTIFY_STARTED {
            statistics.openConnectionCount.add(1, ordering: .relaxed)
            connections.opened(connection, fd: cmhd_connection_fd(connection),
                               deadline: MonotonicClock.now() + Double(configuration.headerTimeout))
        } else {
            statistics.openConnectionCount.subtract(1, ordering: .relaxed)
            connections.closed(connection)
            headsInProgress.ended(connection)
        }
    }
}
