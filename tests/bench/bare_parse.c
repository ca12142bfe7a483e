/* The peer of `gitops-lint check` in tests/bench: parse every file named on stdin with libyaml's event
 * parser and nothing else, on N threads (argv[1], default 2). Prints files, events and bytes parsed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static char** g_paths;
static size_t g_count;
static size_t g_next;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long g_events;
static unsigned long long g_bytes;

static char* slurp(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  char* buf = n >= 0 && fseek(f, 0, SEEK_SET) == 0 ? malloc((size_t)n + 1) : NULL;
  if (buf) *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

static void* worker(void* arg) {
  (void)arg;
  unsigned long long events = 0, bytes = 0;
  for (;;) {
    pthread_mutex_lock(&g_mu);
    size_t i = g_next++;
    pthread_mutex_unlock(&g_mu);
    if (i >= g_count) break;
    size_t len = 0;
    char* buf = slurp(g_paths[i], &len);
    if (!buf) continue;
    bytes += len;
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char*)buf, len);
    for (;;) {
      yaml_event_t e;
      if (!yaml_parser_parse(&p, &e)) break;
      int done = e.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&e);
      ++events;
      if (done) break;
    }
    yaml_parser_delete(&p);
    free(buf);
  }
  pthread_mutex_lock(&g_mu);
  g_events += events;
  g_bytes += bytes;
  pthread_mutex_unlock(&g_mu);
  return NULL;
}

int main(int argc, char** argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 2;
  if (threads < 1) threads = 1;
  size_t cap = 1024;
  g_paths = malloc(cap * sizeof(char*));
  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\n")] = 0;
    if (!*line) continue;
    if (g_count == cap) g_paths = realloc(g_paths, (cap *= 2) * sizeof(char*));
    g_paths[g_count++] = strdup(line);
  }
  pthread_t tids[64];
  if (threads > 64) threads = 64;
  for (int t = 0; t < threads; ++t) pthread_create(&tids[t], NULL, worker, NULL);
  for (int t = 0; t < threads; ++t) pthread_join(tids[t], NULL);
  printf("files=%zu events=%llu bytes=%llu\n", g_count, g_events, g_bytes);
  return 0;
}
