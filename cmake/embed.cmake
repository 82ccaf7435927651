# portico_embed(<target> <namespace> <output.cc> <base_dir> <files…>)
# Embeds files into the binary as `std::span<const EmbeddedFile> <namespace>::embeddedFiles()`,
# so a built `portico` needs nothing beside it.
function(portico_embed TARGET_NAME NS OUTPUT BASE_DIR)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DNS=${NS} -DOUTPUT=${OUTPUT} -DBASE_DIR=${BASE_DIR}
            "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${NS} files"
    VERBATIM)
  target_sources(${TARGET_NAME} PRIVATE ${OUTPUT})
endfunction()
