import CRMCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file as CSV.swift reads it: an `InputStream` (the library's only way to stream a file) over a
/// file descriptor, read a chunk at a time, so that a file of any size is never held whole.
///
/// Two things the library cannot tell us are computed here, around it:
/// - how far it got (`bytesRead`, for a progress bar);
/// - whether the file ended inside a quoted field. CSV.swift reads an unclosed quote to the end of the
///   file and returns what it read as the last field, without a word. So after the file's last byte
///   this stream adds one line holding `endMarker`: after a well-formed file the library returns it as
///   a record of its own; after an unclosed quote it returns it at the end of the last field.
final class CSVFileInput: InputStream {
    /// What follows the file's bytes. No text file holds a NUL, so no record is this by accident.
    static let endMarker = "\u{0}crm-end-of-file\u{0}"
    private static let tail = Array(("\n" + endMarker).utf8)
    private static let chunkSize = 65_536

    let path: String
    /// The file's size when it was opened.
    let size: Int
    /// The start of the file (up to 64 KiB), for `CSVFileFormat` to look at before the library reads it.
    private(set) var head: [UInt8] = []
    /// Bytes of the file handed to the library so far (it reads ahead, one chunk at a time).
    private(set) var bytesRead = 0
    /// The errno of a read that failed, for the error message.
    private(set) var readErrno: Int32?

    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var position = 0
    private var fileEnded = false
    private var tailServed = false
    private var status: Stream.Status = .notOpen

    /// Opens `path` for reading and reads its first chunk; throws a `CRMError` that names the path.
    init(path: String) throws {
        self.path = path
        descriptor = posixOpen(path)
        guard descriptor >= 0 else { throw Self.openError(path: path, errno: errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            posixClose(descriptor)
            throw Self.openError(path: path, errno: code)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            posixClose(descriptor)
            throw CRMError.invalidInput("'\(path)' is a folder: give the path of a CSV file.")
        }
        size = Int(info.st_size)
        super.init(data: Data())
        fill()
        head = fileEnded ? [] : buffer  // an empty file's first fill is already the end line
        if let readErrno { throw Self.openError(path: path, errno: readErrno) }
    }

    deinit {
        if descriptor >= 0 { posixClose(descriptor) }
    }

    override func open() { status = .open }

    override func close() {
        if descriptor >= 0 { posixClose(descriptor) }
        descriptor = -1
        status = .closed
    }

    override var streamStatus: Stream.Status { status }

    override var streamError: (any Error)? {
        readErrno.map { POSIXError(POSIXErrorCode(rawValue: $0) ?? .EIO) }
    }

    override var hasBytesAvailable: Bool {
        if position >= buffer.count { fill() }
        return position < buffer.count
    }

    override func read(_ destination: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        if position >= buffer.count { fill() }
        if readErrno != nil { return -1 }
        let count = min(maxLength, buffer.count - position)
        guard count > 0 else { return 0 }
        buffer.withUnsafeBufferPointer { source in
            destination.update(from: source.baseAddress! + position, count: count)
        }
        position += count
        return count
    }

    /// Refills the buffer with the file's next chunk, or with the end line once the file is read.
    private func fill() {
        position = 0
        buffer.removeAll(keepingCapacity: true)
        if fileEnded {
            if !tailServed { buffer = Self.tail }
            tailServed = true
            return
        }
        buffer = [UInt8](unsafeUninitializedCapacity: Self.chunkSize) { bytes, initialized in
            initialized = 0
            while true {
                let count = posixRead(descriptor, bytes.baseAddress!, Self.chunkSize)
                if count >= 0 {
                    initialized = count
                    return
                }
                if errno != EINTR {
                    readErrno = errno
                    return
                }
            }
        }
        bytesRead += buffer.count
        if buffer.isEmpty && readErrno == nil {
            fileEnded = true
            fill()
        }
    }

    private static func openError(path: String, errno code: Int32) -> CRMError {
        switch code {
        case ENOENT, ENOTDIR:
            return .invalidInput("There is no file at '\(path)': check the path.")
        case EACCES, EPERM:
            return .invalidInput("crm may not read '\(path)' (permission denied): check the file's permissions.")
        case EISDIR:
            return .invalidInput("'\(path)' is a folder: give the path of a CSV file.")
        default:
            return .invalidInput("Cannot read '\(path)' (\(String(cString: strerror(code)))).")
        }
    }
}

// The system calls, at file scope: inside the stream, `open`, `read` and `close` are its own methods.

private func posixOpen(_ path: String) -> Int32 { open(path, O_RDONLY | O_CLOEXEC) }

private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }

private func posixClose(_ descriptor: Int32) { _ = close(descriptor) }
