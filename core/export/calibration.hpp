#pragma once
// Printer calibration offsets, saved per printer and template in a small JSON settings file:
// {"printers": {"<printer>": {"<template>": {"x_mm": 0.5, "y_mm": -1.0}}}}
#include "core/export/sheet_template.hpp"

#include <string>

namespace core::exporter {

inline constexpr const char* kFilePrinter = "(file)";  // the key for exports not sent to a printer

std::string calibrationFilePath();  // <configDir>/calibration.json

// {0, 0} when nothing is saved (or the file does not exist yet).
Result<Offset> loadCalibration(const std::string& file, const std::string& printer, const std::string& templateName);
// Updates one entry, keeping the rest; written to a temp file and renamed.
Status saveCalibration(const std::string& file, const std::string& printer, const std::string& templateName, Offset offset);

}  // namespace core::exporter
