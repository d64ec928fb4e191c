{
  'targets': [
    {
      'target_name': 'redlite',
      'sources': [ 'src/addon.c', 'src/convert.c', 'src/exec.c', 'src/signals.c' ],
      'include_dirs': [
        "<!(node -p \"require('node-api-headers').include_dir\")",
        '../../include',
      ],
      'defines': [ 'NAPI_VERSION=8' ],
      'cflags_c': [ '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Wno-missing-field-initializers' ],
      # libredlite.so.1 is built by scripts/build.js into the same directory
      # as the addon (build/Release); the addon finds it there through its
      # rpath, so nothing depends on a library search path.
      'libraries': [ '-L<(module_root_dir)/build/Release', '-lredlite' ],
      'ldflags': [ "-Wl,-rpath,'$$ORIGIN'" ],
    },
  ],
}
