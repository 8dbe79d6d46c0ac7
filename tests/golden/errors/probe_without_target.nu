# `probe` needs a target.
probe
probe {|e| count }
