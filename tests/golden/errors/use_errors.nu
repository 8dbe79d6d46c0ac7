# `use` needs a module, and member lists contain names.
use
use nubpf [1]
