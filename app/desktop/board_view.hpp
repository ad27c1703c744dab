#pragma once
// The Board tab (technician panel): draws BoardViewModel only; every action goes back through it.
// Split by feature: board_view.cpp (devices, identity, provisioning), board_view_grid.cpp (channel
// grid, dispenses, sweeps), board_view_log.cpp (frame log).
#include "app/desktop/board_view_model.hpp"

#include <string>

namespace app::desktop {

class AppModel;

class BoardView {
public:
    explicit BoardView(BoardViewModel& model) : m_model(model) {}
    void draw();

private:
    void drawDevices();
    void drawIdentity();
    void drawErrors();
    void drawGrid();
    void drawGridCells();
    void drawDispenseControls();
    void drawRun();
    void drawProvisioning();
    void drawDiff();
    void drawLog();
    BoardViewModel& m_model;
    int m_device = -1;
    std::string m_provisionPath = "provisioning.json";
    std::string m_logPath = "board-frames.tsv";
    std::string m_sweepPath = "board-sweep.csv";
};

// The Board tab's entry point from the shell. PICKUPDESK_BOARD_SIM=1 connects the in-process
// simulator at start (screenshots, demos); =demo also sweeps a few slots, some with planned faults.
void drawBoardTab(AppModel& model);

}  // namespace app::desktop
