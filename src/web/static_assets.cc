#include "web/static_assets.h"

#include "core/embedded.h"
#include "core/text.h"

namespace portico::web::assets {
std::span<const core::EmbeddedFile> embeddedFiles();
}

namespace portico::web {

void registerStaticAssets(http::Router& router) {
  for (const auto& file : assets::embeddedFiles()) {
    std::string name(file.name);
    std::string type = name.ends_with(".css")   ? "text/css; charset=utf-8"
                       : name.ends_with(".js")  ? "text/javascript; charset=utf-8"
                       : name.ends_with(".svg") ? "image/svg+xml"
                                                : "application/octet-stream";
    std::string etag = "\"" + core::sha256Hex(file.data).substr(0, 16) + "\"";
    std::string_view data = file.data;
    router.add({"GET", "/static/" + name, [type, etag, data](http::Request& r) {
                  if (r.header("if-none-match") == etag) {
                    http::Response not_modified{304, {{"ETag", etag}}, {}, {}, {}};
                    not_modified.setHeader("Cache-Control", "public, max-age=86400");
                    return not_modified;
                  }
                  http::Response res{
                      200, {{"Content-Type", type}, {"ETag", etag}}, std::string(data), {}, {}};
                  res.setHeader("Cache-Control", "public, max-age=86400");
                  return res;
                }});
  }
}

}  // namespace portico::web
