// The problems, pointers and decoding conventions every wire decoder shares live in
// RequestDecoding; TensorJSON's users see them as part of the JSON codec's API.
@_exported import RequestDecoding
