/// Where the (n, c) planes of a tensor lie: plane p = n·C + c starts at ``base(_:)`` and its
/// spatial cell s is at `base + s·elementStride`.
struct PlaneLayout {
    let planes: Int
    let channels: Int
    /// Cells of one plane (D1·…·Dd).
    let spatial: Int
    /// 1 for channels_first, C for channels_last.
    let elementStride: Int
    let layout: Layout

    init(batch: Int, channels: Int, spatial: Int, layout: Layout) {
        self.planes = batch * channels
        self.channels = channels
        self.spatial = spatial
        self.layout = layout
        self.elementStride = layout == .channelsFirst ? 1 : channels
    }

    /// The offset of plane p's cell 0.
    @inline(__always)
    func base(_ p: Int) -> Int {
        layout == .channelsFirst ? p * spatial : (p / channels) * spatial * channels + p % channels
    }
}
