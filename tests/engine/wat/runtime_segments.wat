;; Runtime tests: the second data segment is out of bounds; the first one's write stays (2.0).
(module
  (import "env" "memory" (memory 1))
  (data (i32.const 0) "first")
  (data (i32.const 65534) "out of bounds")
)
