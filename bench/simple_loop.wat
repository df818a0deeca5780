;; A counted loop of 9 wasm instructions per iteration: the first speed figure of the
;; interpreter, in wasm instructions per second (bench/simple-loop).
(module
  (func (export "loop") (param $n i32) (result i32)
    (local $sum i32)
    (loop $continue
      local.get $sum
      local.get $n
      i32.add
      local.set $sum
      local.get $n
      i32.const 1
      i32.sub
      local.tee $n
      br_if $continue)
    local.get $sum))
