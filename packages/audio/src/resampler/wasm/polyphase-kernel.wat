;; Polyphase FIR kernels for the streaming resampler, WebAssembly SIMD (128-bit).
;; Built by packages/audio/scripts/build-wasm.ts (wabt from npm) into polyphase-kernel-wasm.ts (base64).
;; The JavaScript side owns the memory layout: coefficient tables, a sample scratch area and an output area.
;;
;; A filter has `up` phases of `taps` coefficients each (`taps` padded to a multiple of 8 with zeros), stored
;; time-reversed so that output k is the dot product of its phase's row with the inputs history[newest .. newest+taps).
;; After each output: phase += stepFraction, newest += stepWhole, and a phase wrap at `up` moves newest on by one.
;; runFloat returns the final phase and leave the final newest index in the global `newest`.
(module
  (memory (export "memory") 1)
  (global $newest (export "newest") (mut i32) (i32.const 0))

  ;; int16 samples at $source → float32 at $target; `count` is rounded up to a multiple of 8 (the areas are padded).
  (func (export "widen") (param $source i32) (param $target i32) (param $count i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $source) (i32.shl (local.get $count) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $source) (local.get $end)))
        (local.set $x (v128.load (local.get $source)))
        (v128.store (local.get $target) (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $x))))
        (v128.store offset=16 (local.get $target) (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $x))))
        (local.set $source (i32.add (local.get $source) (i32.const 16)))
        (local.set $target (i32.add (local.get $target) (i32.const 32)))
        (br $next))))

  ;; Rounds, saturates to int16 and stores one output.
  (func $store (param $at i32) (param $value f64)
    (local $rounded i32)
    (local.set $rounded (i32.trunc_sat_f64_s (f64.floor (f64.add (local.get $value) (f64.const 0.5)))))
    (if (i32.gt_s (local.get $rounded) (i32.const 32767)) (then (local.set $rounded (i32.const 32767))))
    (if (i32.lt_s (local.get $rounded) (i32.const -32768)) (then (local.set $rounded (i32.const -32768))))
    (i32.store16 (local.get $at) (local.get $rounded)))

  ;; float32 kernel: coefficients float32 (row = taps x 4 bytes), history float32 (see widen).
  (func (export "runFloat")
    (param $coefficients i32) (param $taps i32) (param $up i32) (param $history i32) (param $out i32)
    (param $outputs i32) (param $newestIn i32) (param $phase i32) (param $stepWhole i32) (param $stepFraction i32)
    (result i32)
    (local $end i32) (local $row i32) (local $samples i32) (local $left i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $newestAt i32)
    (local.set $newestAt (local.get $newestIn))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $outputs) (i32.const 1))))
    (block $finished
      (loop $output
        (br_if $finished (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $row (i32.add (local.get $coefficients)
          (i32.shl (i32.mul (local.get $phase) (local.get $taps)) (i32.const 2))))
        (local.set $samples (i32.add (local.get $history) (i32.shl (local.get $newestAt) (i32.const 2))))
        (local.set $left (local.get $taps))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (block $tail
          (loop $sixteen
            (br_if $tail (i32.lt_u (local.get $left) (i32.const 16)))
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load (local.get $row)) (v128.load (local.get $samples)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 (local.get $row)) (v128.load offset=16 (local.get $samples)))))
            (local.set $acc2 (f32x4.add (local.get $acc2)
              (f32x4.mul (v128.load offset=32 (local.get $row)) (v128.load offset=32 (local.get $samples)))))
            (local.set $acc3 (f32x4.add (local.get $acc3)
              (f32x4.mul (v128.load offset=48 (local.get $row)) (v128.load offset=48 (local.get $samples)))))
            (local.set $row (i32.add (local.get $row) (i32.const 64)))
            (local.set $samples (i32.add (local.get $samples) (i32.const 64)))
            (local.set $left (i32.sub (local.get $left) (i32.const 16)))
            (br $sixteen)))
        (if (i32.ne (local.get $left) (i32.const 0))
          (then
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load (local.get $row)) (v128.load (local.get $samples)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 (local.get $row)) (v128.load offset=16 (local.get $samples)))))))
        (local.set $acc0 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1))
                                    (f32x4.add (local.get $acc2) (local.get $acc3))))
        (call $store (local.get $out)
          (f64.add
            (f64.add (f64.promote_f32 (f32x4.extract_lane 0 (local.get $acc0)))
                     (f64.promote_f32 (f32x4.extract_lane 1 (local.get $acc0))))
            (f64.add (f64.promote_f32 (f32x4.extract_lane 2 (local.get $acc0)))
                     (f64.promote_f32 (f32x4.extract_lane 3 (local.get $acc0))))))
        (local.set $out (i32.add (local.get $out) (i32.const 2)))
        (local.set $newestAt (i32.add (local.get $newestAt) (local.get $stepWhole)))
        (local.set $phase (i32.add (local.get $phase) (local.get $stepFraction)))
        (if (i32.ge_u (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $newestAt (i32.add (local.get $newestAt) (i32.const 1)))))
        (br $output)))
    (global.set $newest (local.get $newestAt))
    (local.get $phase))
)
