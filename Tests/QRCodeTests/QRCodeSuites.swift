import Testing

/// Every QR suite, one test at a time: they are CPU-heavy (thousands of symbols, external
/// encoders and decoders), and run in parallel they would hold all of Swift concurrency's few
/// threads (2 on a 2-core CI machine) for seconds, starving the network tests that run beside them.
@Suite(.serialized)
enum QRCodeSuites {}
