// A table whose whole contents are known before it prints, such as an
// aggregation at exit: each column is as wide as its widest cell.
#pragma once

#include <string>
#include <vector>

namespace nubpf::runtime {

class TableLayout {
 public:
  void AddColumn(std::string header, bool right_aligned);

  // Adds a row of one cell per column, each cell a list of lines: a stack
  // has one frame per line, and the row is as tall as its tallest cell.
  void AddRow(std::vector<std::vector<std::string>> cells);

  // Returns the header line, then the lines of each row. Columns are two
  // spaces apart; a left-aligned last column is not padded, and lines
  // below a row's first carry no trailing spaces.
  std::vector<std::string> Lines() const;

 private:
  struct ColumnInfo {
    std::string header;
    bool right_aligned = false;
  };

  std::string Line(const std::vector<std::string>& cells,
                   const std::vector<size_t>& widths) const;

  std::vector<ColumnInfo> columns_;
  std::vector<std::vector<std::vector<std::string>>> rows_;
};

}  // namespace nubpf::runtime
