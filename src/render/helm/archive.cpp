#include "render/helm/archive.h"

#include <zlib.h>

#include <fmt/format.h>

#include "core/strings.h"

namespace gl::render::helm {
namespace {

constexpr size_t kBlock = 512;

std::optional<std::string> gunzip(std::string_view data, size_t max_bytes, std::string* error) {
  z_stream zs{};
  constexpr int kGzipWindow = 16 + MAX_WBITS;
  if (inflateInit2(&zs, kGzipWindow) != Z_OK) {
    *error = "cannot initialise zlib";
    return std::nullopt;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      *error = fmt::format("not a valid gzip stream ({})", zs.msg != nullptr ? zs.msg : "inflate failed");
      return std::nullopt;
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      *error = fmt::format("archive expands past {} bytes", max_bytes);
      return std::nullopt;
    }
    if (rc != Z_STREAM_END && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      *error = "truncated gzip stream";
      return std::nullopt;
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string field(std::string_view block, size_t offset, size_t size) {
  std::string_view f = block.substr(offset, size);
  const auto nul = f.find('\0');
  return std::string(nul == std::string_view::npos ? f : f.substr(0, nul));
}

std::optional<size_t> octal(std::string_view block, size_t offset, size_t size) {
  size_t v = 0;
  bool any = false;
  for (char c : block.substr(offset, size)) {
    if (c == '\0' || c == ' ') {
      if (any) break;
      continue;
    }
    if (c < '0' || c > '7') return std::nullopt;
    v = v * 8 + static_cast<size_t>(c - '0');
    any = true;
  }
  return v;
}

/// The `path=` record of a pax extended header, if any.
std::string pax_path(std::string_view records) {
  while (!records.empty()) {
    const auto space = records.find(' ');
    if (space == std::string_view::npos) break;
    size_t len = 0;
    for (char c : records.substr(0, space)) len = len * 10 + static_cast<size_t>(c - '0');
    if (len == 0 || len > records.size()) break;
    std::string_view rec = records.substr(space + 1, len - space - 2);  // without the final newline
    if (rec.starts_with("path=")) return std::string(rec.substr(5));
    records.remove_prefix(len);
  }
  return {};
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> read_tgz(std::string_view data, std::string* error,
                                                                         const ArchiveLimits& limits) {
  auto tar = gunzip(data, limits.max_total_bytes, error);
  if (!tar) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  std::string long_name;
  size_t pos = 0;
  while (pos + kBlock <= tar->size()) {
    const std::string_view block(tar->data() + pos, kBlock);
    if (block.find_first_not_of('\0') == std::string_view::npos) break;  // end of archive
    auto size = octal(block, 124, 12);
    if (!size) {
      *error = "corrupt tar header";
      return std::nullopt;
    }
    const char type = block[156];
    const size_t data_start = pos + kBlock;
    if (data_start + *size > tar->size()) {
      *error = "truncated tar member";
      return std::nullopt;
    }
    const std::string_view content(tar->data() + data_start, *size);
    pos = data_start + (*size + kBlock - 1) / kBlock * kBlock;
    if (type == 'L') {  // GNU long name for the next member
      long_name = field(content, 0, content.size());
      continue;
    }
    if (type == 'x') {  // pax extended header for the next member
      long_name = pax_path(content);
      continue;
    }
    if (type == 'g') continue;
    std::string name = field(block, 0, 100);
    const std::string prefix = field(block, 345, 155);
    if (block.substr(257, 5) == "ustar" && !prefix.empty()) name = prefix + "/" + name;
    if (!long_name.empty()) {
      name = long_name;
      long_name.clear();
    }
    if (type != '0' && type != '\0' && type != '7') continue;  // only regular files (links are not followed)
    bool inside = true;
    std::string path = normalize_path(name, &inside);
    if (!inside || name.starts_with("/")) {
      *error = fmt::format("archive member `{}` leaves the archive", name);
      return std::nullopt;
    }
    if (out.size() >= limits.max_members) {
      *error = fmt::format("archive has more than {} files", limits.max_members);
      return std::nullopt;
    }
    out.emplace_back(std::move(path), std::string(content));
  }
  return out;
}

}  // namespace gl::render::helm
