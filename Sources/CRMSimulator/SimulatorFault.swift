/// A failure the next API calls suffer on request (`POST /_simulator/faults`), so that clients'
/// retries, timeouts and error handling can be tested against a server that really misbehaves.
package enum SimulatorFault: Sendable, Hashable {
    /// Answer with this HTTP status and Evolution's error body.
    case status(Int)
    /// Hold the request this long before handling it normally (a client timeout shorter than it fires first).
    case delay(milliseconds: Int)
    /// Hold the request until `releaseHeldRequests()` (or the simulator stops), then handle it
    /// normally: a test decides when a call in flight ends, instead of guessing a delay.
    case hold
    /// Answer with an HTML page, as a reverse proxy in front of Evolution does when it is down (502 by default).
    case html(status: Int)
    /// Answer with this status (200 by default) and a JSON body cut short.
    case garbage(status: Int)

    /// Reads `{"status":500}`, `{"delayMs":20000}`, `{"hold":true}`, `{"html":true, "status"?: 502}`
    /// or `{"garbage":true, "status"?: 200}`.
    init?(_ body: JSONValue) {
        if body["hold"]?.boolValue == true {
            self = .hold
        } else if body["garbage"]?.boolValue == true {
            self = .garbage(status: body["status"]?.intValue ?? 200)
        } else if body["html"]?.boolValue == true {
            self = .html(status: body["status"]?.intValue ?? 502)
        } else if let delay = body["delayMs"]?.intValue, delay >= 0 {
            self = .delay(milliseconds: delay)
        } else if let status = body["status"]?.intValue, (400...599).contains(status) {
            self = .status(status)
        } else {
            return nil
        }
    }
}
