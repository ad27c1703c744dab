#pragma once
// How many threads Mesa's software renderer (llvmpipe) rasterises on. Its default is one per core.
// On 2 cores that is the wrong trade for this app: with partial redraw and the scroll copy a frame
// rasterises little (~0.3 Mpx), and the raster threads compete for the 2 cores with the UI thread,
// the query worker and the X server, and each flush must wake them. Rasterising on the UI thread
// instead made a scrolled frame ~1 ms cheaper at the median and its p99 lower
// (docs/BENCHMARKS.md, "Rasterising on the UI thread"). More cores were not measured: Mesa's
// default stays there.
#include <optional>
#include <string>

namespace app::desktop {

// The LP_NUM_THREADS value to set before the GL driver loads, or nullopt to leave it alone: "0"
// (rasterise on the thread that draws) on 1 or 2 cores, unless the user already set it.
// `current` is LP_NUM_THREADS as found (nullptr when unset); `cores` 0 when unknown.
std::optional<std::string> softwareRasterThreads(const char* current, unsigned cores);

// Applies softwareRasterThreads to this process's environment. Call before glfwInit: Mesa reads
// it when GLX first opens the driver.
void configureSoftwareRaster();

// Mesa's llvmpipe raster threads in this process (Linux names them llvmpipe-N); -1 where unknown.
int llvmpipeThreadCount();

}  // namespace app::desktop
