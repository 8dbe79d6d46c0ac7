#include "runtime/table_layout.h"

#include <algorithm>
#include <cassert>

#include "runtime/output_format.h"

namespace nubpf::runtime {

void TableLayout::AddColumn(std::string header, bool right_aligned) {
  columns_.push_back({std::move(header), right_aligned});
}

void TableLayout::AddRow(std::vector<std::vector<std::string>> cells) {
  assert(cells.size() == columns_.size() && "one cell per column");
  rows_.push_back(std::move(cells));
}

std::string TableLayout::Line(const std::vector<std::string>& cells,
                              const std::vector<size_t>& widths) const {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += "  ";
    bool last = i + 1 == cells.size();
    if (last && !columns_[i].right_aligned) {
      line += cells[i];
    } else {
      line += PadCell(cells[i], widths[i], columns_[i].right_aligned);
    }
  }
  return line;
}

std::vector<std::string> TableLayout::Lines() const {
  std::vector<size_t> widths;
  for (const ColumnInfo& column : columns_) widths.push_back(DisplayWidth(column.header));
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      for (const std::string& line : row[i]) {
        widths[i] = std::max(widths[i], DisplayWidth(line));
      }
    }
  }

  std::vector<std::string> headers;
  for (const ColumnInfo& column : columns_) headers.push_back(column.header);
  std::vector<std::string> lines = {Line(headers, widths)};
  for (const auto& row : rows_) {
    size_t height = 1;
    for (const auto& cell : row) height = std::max(height, cell.size());
    for (size_t line_index = 0; line_index < height; ++line_index) {
      std::vector<std::string> cells;
      for (const auto& cell : row) {
        cells.push_back(line_index < cell.size() ? cell[line_index] : "");
      }
      std::string line = Line(cells, widths);
      if (line_index > 0) line.erase(line.find_last_not_of(' ') + 1);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

}  // namespace nubpf::runtime
