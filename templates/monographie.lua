-- Pandoc filter of ptce-mono (embedded engine), run for HTML and Typst.
-- 1. Safety: narratives are untrusted. Only http(s)/mailto/#anchor links survive, only the
--    figure files extracted from the notebook are images, and no attribute other than a
--    small whitelist reaches the output (no onclick=, style=...).
-- 2. Document: the level-1 heading repeating the title is dropped (the title block shows it),
--    alt text of figures comes from fig-alt, captions are numbered in HTML
--    ("Figure 1 — ...", "Tableau 1 — ..."; Typst numbers them itself).
-- 3. French typography: no-break spaces before ; : ! ? and inside « ».

local NNBSP = "\u{202F}"
local NBSP = "\u{00A0}"
local KEEP_ATTRIBUTES = { width = true, height = true }
local is_html = FORMAT:match("html") ~= nil

-- 1. Safety ------------------------------------------------------------------------------------

local function safe_url(url)
  local lower = url:lower():gsub("^%s+", "")
  return lower:match("^https?://") or lower:match("^mailto:") or lower:match("^#")
    -- the document's own citation files, written next to it by the build
    or lower:match("^[%w-]+%.bib$") or lower:match("^[%w-]+%.ris$")
    or lower:match("^[%w-]+%.csl%.json$")
end

-- Returns whether an attribute was removed, and the figure's alt text. Elements left unchanged
-- are not returned to pandoc (returning nil spares marshalling them back: same output, faster).
local function clean_attr(el)
  if el.attr == nil then return false, nil end
  local attributes = el.attributes
  local alt = attributes["fig-alt"]
  local kept, removed = {}, false
  for k, v in pairs(attributes) do
    if KEEP_ATTRIBUTES[k] then kept[k] = v else removed = true end
  end
  if removed then el.attributes = kept end
  return removed, alt
end

local function cleaned(el)
  if clean_attr(el) then return el end
  return nil
end

local safety = {
  Link = function(link)
    local removed = clean_attr(link)
    if not safe_url(link.target) then return link.content end
    if removed then return link end
    return nil
  end,
  Image = function(img)
    local _, alt = clean_attr(img)
    if not (img.src:match("^figure%-%d+%.svg$") or img.src:match("^figure%-%d+%.png$")) then
      return img.caption -- an image from a narrative: its description as text, nothing loaded
    end
    if alt and alt ~= "" then img.caption = pandoc.Inlines(alt) end
    return img
  end,
  Span = cleaned,
  Div = cleaned,
  Code = cleaned,
  CodeBlock = cleaned,
  Header = cleaned,
  Table = cleaned,
  Figure = cleaned,
}

-- 2. Document ----------------------------------------------------------------------------------

local function normalise(text)
  -- smart quotes in the body, straight ones in the -M title: compare without them
  return (text:gsub("\u{2019}", "'"):gsub("%s+", " "))
end

local function drop_title_heading(doc)
  local title = doc.meta.title and normalise(pandoc.utils.stringify(doc.meta.title)) or nil
  local blocks = pandoc.Blocks({})
  local dropped = false
  for _, block in ipairs(doc.blocks) do
    if not dropped and title and block.t == "Header" and block.level == 1
        and normalise(pandoc.utils.stringify(block.content)) == title then
      dropped = true
    else
      blocks:insert(block)
    end
  end
  -- with the title gone, "## 1. Section" becomes a top-level heading if nothing is above it
  local has_top = false
  for _, block in ipairs(blocks) do
    if block.t == "Header" and block.level == 1 then has_top = true end
  end
  if not has_top then
    blocks = blocks:walk({
      Header = function(h)
        h.level = math.max(1, h.level - 1)
        return h
      end,
    })
  end
  doc.blocks = blocks
  return doc
end

local function prefix_caption(caption, label)
  local long = caption.long
  if #long == 0 then
    long = pandoc.Blocks({ pandoc.Plain({ pandoc.Str(label) }) })
  else
    local first = long[1]
    if first.content then
      local inlines = pandoc.Inlines({ pandoc.Str(label), pandoc.Str(NBSP .. "—"), pandoc.Space() })
      inlines:extend(first.content)
      first.content = inlines
    end
  end
  caption.long = long
  return caption
end

local figures, tables = 0, 0
local numbering = {
  Figure = function(fig)
    figures = figures + 1
    fig.caption = prefix_caption(fig.caption, "Figure" .. NBSP .. figures)
    return fig
  end,
  Table = function(tbl)
    if #tbl.caption.long == 0 then return tbl end
    tables = tables + 1
    tbl.caption = prefix_caption(tbl.caption, "Tableau" .. NBSP .. tables)
    return tbl
  end,
}

-- 3. French typography -------------------------------------------------------------------------

local function ends_with_space(s)
  return s:sub(-#NNBSP) == NNBSP or s:sub(-#NBSP) == NBSP
end

local function fix_str(s)
  if s:find("://", 1, true) or s:find("@", 1, true) then return s end
  local head, punct = s:match("^(.-)([;!?]+[%)%]]?)$")
  if head and head ~= "" and not ends_with_space(head) and not head:match("[%p]$") then
    return head .. NNBSP .. punct
  end
  head = s:match("^(.-):$")
  if head and head ~= "" and not ends_with_space(head) and not head:match("[%p%d]$") then
    return head .. NBSP .. ":"
  end
  return s
end

-- Only the characters the rules act on: a list of inlines without any (most table cells, many
-- short lists) is left at once, its text read by one call instead of element by element.
local function may_need_typography(inlines)
  local text = pandoc.utils.stringify(inlines)
  return text:find("[;!?:]") ~= nil or text:find("«", 1, true) ~= nil
    or text:find("»", 1, true) ~= nil or text:find("§", 1, true) ~= nil
end

local typography = {
  Inlines = function(inlines)
    if not may_need_typography(inlines) then return nil end
    local changed = false
    for i, el in ipairs(inlines) do
      if el.t == "Str" then
        local text = el.text
        local fixed = fix_str(text)
        if fixed ~= text then
          el.text = fixed
          changed = true
        end
      end
    end
    for i = 2, #inlines do
      local el, prev = inlines[i], inlines[i - 1]
      if el.t == "Str" and (prev.t == "Space" or prev.t == "SoftBreak") then
        local text = el.text
        if text:match("^[;!?]") and not text:find("://", 1, true) then
          inlines[i - 1] = pandoc.Str(NNBSP)
          changed = true
        elseif text:match("^:") and (text == ":" or text:match("^:[%p]+$")) then
          inlines[i - 1] = pandoc.Str(NBSP)
          changed = true
        elseif text:sub(1, #"»") == "»" then
          inlines[i - 1] = pandoc.Str(NBSP)
          changed = true
        end
      end
      if prev.t == "Str" and (prev.text:sub(-#"«") == "«" or prev.text:sub(-#"§") == "§")
          and (el.t == "Space" or el.t == "SoftBreak") then
        inlines[i] = pandoc.Str(NBSP)
        changed = true
      end
    end
    if changed then return inlines end
    return nil
  end,
}

-- 4. HAL identifiers become links (https://hal.science/<id> resolves every HAL portal) -------
-- An identifier is a portal's prefix, a hyphen and eight digits, maybe a version (« v2 »):
-- hal-…, halshs-…, tel-… (theses), inria-…; it may stand in parentheses or before punctuation.

local HAL_PORTALS = {}
for _, prefix in ipairs({ "hal", "halshs", "tel", "inria", "cea", "dumas", "medihal",
    "edutice", "ineris", "inserm", "pasteur", "ird", "cirad", "in2p3", "insu", "emse", "ensl",
    "hceres", "mem", "jpa", "ujm", "lirmm", "cel", "sic" }) do
  HAL_PORTALS[prefix] = true
end

local function hal_parts(text)
  local open, id, portal, version, rest =
    text:match("^(%(?)(([a-z][a-z0-9]*)%-%d%d%d%d%d%d%d%d)(v?%d*)([%.,;:%)]*)$")
  if id == nil or not HAL_PORTALS[portal] then return nil end
  if version ~= "" and version:sub(1, 1) ~= "v" then return nil end -- more than eight digits
  return open, id .. version, rest
end

-- Whole lists of inlines are rewritten (top down, never inside a link): a Str replaced by a
-- link whose text is the same identifier would otherwise be visited, and replaced, forever.
local hal_links = {
  traverse = "topdown",
  Link = function(link) return link, false end, -- never a link inside a link
  Inlines = function(inlines)
    local out, changed = pandoc.Inlines({}), false
    for _, el in ipairs(inlines) do
      local open, id, rest
      if el.t == "Str" then open, id, rest = hal_parts(el.text) end
      if id == nil then
        out:insert(el)
      else
        if open ~= "" then out:insert(pandoc.Str(open)) end
        out:insert(pandoc.Link(id, "https://hal.science/" .. id))
        if rest ~= "" then out:insert(pandoc.Str(rest)) end
        changed = true
      end
    end
    if changed then return out, false end -- the new links are not visited again
    return nil
  end,
}

-- 5. Typst: figures carry their alt text (PDF/UA-1 requires it; pandoc's writer drops it) ------

local function typst_string(s)
  local escaped = s:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("%s+", " ")
  return '"' .. escaped .. '"'
end

local typst_figures = {
  Figure = function(fig)
    local img
    fig.content:walk({ Image = function(i) img = i end })
    if img == nil then return nil end
    local alt = pandoc.utils.stringify(img.caption)
    if alt == "" then alt = pandoc.utils.stringify(fig.caption.long) end
    local caption = pandoc.write(pandoc.Pandoc(fig.caption.long), "typst")
    local label = fig.identifier ~= "" and ("\n<" .. fig.identifier .. ">") or ""
    -- placement: auto floats the figure to the top or bottom of a page: a tall figure that
    -- does not fit never leaves half a page empty before it (the text flows around it)
    return pandoc.RawBlock("typst", "#figure(image(" .. typst_string(img.src) .. ", alt: "
      .. typst_string(alt) .. "),\n  placement: auto,\n  caption: [" .. caption .. "])" .. label)
  end,
}

-- 6. Cross-references: a link to "#fig-…" or "#tbl-…" with no text reads « figure 2 » ------
-- Figures and captioned tables are numbered in document order, as the captions are (HTML) and as
-- Typst numbers them; generated text writes « voir [](#fig-chronologie) ».

local function cross_references(doc)
  local numbers, figure, table_ = {}, 0, 0
  doc.blocks:walk({
    Figure = function(fig)
      figure = figure + 1
      if fig.identifier ~= "" then numbers[fig.identifier] = "figure" .. NBSP .. figure end
    end,
    Table = function(tbl)
      if #tbl.caption.long == 0 then return nil end
      table_ = table_ + 1
      if tbl.identifier ~= "" then numbers[tbl.identifier] = "tableau" .. NBSP .. table_ end
    end,
  })
  return doc:walk({
    Link = function(link)
      local id = link.target:match("^#((%a%a%a)%-.+)$")
      if id == nil or #link.content > 0 then return nil end
      local label = numbers[id]
      if label == nil then return pandoc.Inlines({}) end -- the figure was not drawn
      link.content = pandoc.Inlines({ pandoc.Str(label) })
      return link
    end,
  })
end

-- The HAL pass visits every list of words: it runs only when the source or the bibliography
-- (typeset by citeproc before this filter) holds a HAL identifier.
local function read_file(path)
  local handle = io.open(path, "r")
  if handle == nil then return nil end
  local text = handle:read("a")
  handle:close()
  return text
end

local function file_has_hal_id(name)
  local text = read_file(name)
  if text == nil then return true end -- cannot tell: run the pass
  for portal in text:gmatch("([a-z][a-z0-9]*)%-%d%d%d%d%d%d%d%d") do
    if HAL_PORTALS[portal] then return true end
  end
  return false
end

local function has_hal_id(doc)
  local files = PANDOC_STATE.input_files
  if files == nil or #files == 0 then return true end -- standard input: cannot tell
  local names = {}
  for _, name in ipairs(files) do table.insert(names, name) end
  local bibliography = doc.meta.bibliography
  if bibliography ~= nil then
    if pandoc.utils.type(bibliography) == "List" then
      for _, item in ipairs(bibliography) do table.insert(names, pandoc.utils.stringify(item)) end
    else
      table.insert(names, pandoc.utils.stringify(bibliography))
    end
  end
  for _, name in ipairs(names) do
    if file_has_hal_id(name) then return true end
  end
  return false
end

local function link_hal_ids(doc)
  if not has_hal_id(doc) then return nil end
  return doc:walk(hal_links)
end

local filters = {
  safety,
  { Pandoc = cross_references },
  { Pandoc = drop_title_heading },
  typography,
  { Pandoc = link_hal_ids },
}
if is_html then table.insert(filters, numbering) end
-- PDF/UA-1 wants consecutive heading levels: a level-4 closing heading under a level-2
-- section becomes level 3 in the PDF (HTML keeps the levels as written).
local function consecutive_headings(doc)
  local previous = 0
  doc.blocks = doc.blocks:walk({
    Header = function(h)
      if h.level > previous + 1 then h.level = previous + 1 end
      previous = h.level
      return h
    end,
  })
  return doc
end

-- 7. One pandoc run for both formats: when the caller names a Typst file (PTCE_TYPST_OUT, with
-- its template PTCE_TYPST_TEMPLATE), the HTML run also writes the Typst source, from the same
-- parsed, cited (citeproc runs before this filter) and filtered document: what
-- `pandoc -t typst` with this filter would write, at half the cost.
local typst_out = os.getenv("PTCE_TYPST_OUT")

-- The closing part (« Pour citer ce document » and the colophon, when nothing follows but
-- paragraphs) is kept on one page: the last page never holds a stray line of it.
local function keep_closing_together(doc)
  local start = nil
  for i, block in ipairs(doc.blocks) do
    if block.t == "Header" then
      start = pandoc.utils.stringify(block.content) == "Pour citer ce document" and i or nil
    end
  end
  if start == nil then return doc end
  local blocks = pandoc.Blocks({})
  for i = 1, start - 1 do blocks:insert(doc.blocks[i]) end
  blocks:insert(pandoc.RawBlock("typst", "#block(breakable: false, width: 100%)["))
  for i = start, #doc.blocks do blocks:insert(doc.blocks[i]) end
  blocks:insert(pandoc.RawBlock("typst", "]"))
  doc.blocks = blocks
  return doc
end

-- A paragraph wholly in bold introduces what follows (the objectives under « Au regard du
-- référentiel »): like a heading, it never stays alone at the foot of a page.
local function is_lead_in(block)
  return block.t == "Para" and #block.content == 1 and block.content[1].t == "Strong"
end

local sticky_lead_ins = {
  Blocks = function(blocks)
    local out, changed = pandoc.Blocks({}), false
    for _, block in ipairs(blocks) do
      if is_lead_in(block) then
        out:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
        out:insert(block)
        out:insert(pandoc.RawBlock("typst", "]"))
        changed = true
      else
        out:insert(block)
      end
    end
    if changed then return out end
    return nil
  end,
}

-- A table's head is repeated on every page the table spans, and PDF/UA makes those copies
-- artifacts, which may hold no link: a citation or link in a head cell keeps its text only
-- (the reference stays linked in the text and the bibliography).
local unlinked = { Link = function(link) return link.content end }
local plain_table_heads = {
  Table = function(tbl)
    for _, row in ipairs(tbl.head.rows) do
      for _, cell in ipairs(row.cells) do
        cell.contents = cell.contents:walk(unlinked)
      end
    end
    return tbl
  end,
}

-- Typst's own steps, after the common ones: in a Typst run, and for the source the HTML run writes.
local function typst_document(doc)
  doc = doc:walk(typst_figures):walk(sticky_lead_ins):walk(plain_table_heads)
  return keep_closing_together(consecutive_headings(doc))
end

-- After citeproc the command line writes formatted citations, not Typst's own (@key).
local function typst_format(doc)
  if doc.meta.bibliography ~= nil then return "typst-citations" end
  return "typst"
end

local function write_typst(doc)
  local path = os.getenv("PTCE_TYPST_TEMPLATE")
  local source = assert(read_file(path), path)
  local options = {
    template = pandoc.template.compile(source, path),
    table_of_contents = true,
    toc_depth = 2,
    wrap_text = "wrap-preserve",
  }
  local typst_doc = typst_document(doc:clone())
  local text = pandoc.write(typst_doc, typst_format(typst_doc), options)
  local out = assert(io.open(typst_out, "w"))
  out:write(text)
  out:close()
  return nil
end

if FORMAT:match("typst") then
  table.insert(filters, { Pandoc = typst_document })
elseif typst_out ~= nil and typst_out ~= "" then
  table.insert(filters, #filters, { Pandoc = write_typst }) -- before HTML's own numbering
end
return filters
