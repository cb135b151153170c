import CMicroHTTPD

/// A libmicrohttpd connection pointer carried to another thread. `@unchecked Sendable`
/// because it is a C pointer: libmicrohttpd allows `MHD_resume_connection` from any thread,
/// and that is the only call made with it off the connection's own thread.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Resumes the suspended connection (its access handler is then called again).
    func resume() { MHD_resume_connection(pointer) }
}

/// A libmicrohttpd daemon pointer and the logger closure it was started with. `@unchecked
/// Sendable` because they are C pointers; the server only uses them under its lock.
struct DaemonHandle: @unchecked Sendable {
    let daemon: OpaquePointer
    let logger: UnsafeMutablePointer<cmhd_logger>
}
