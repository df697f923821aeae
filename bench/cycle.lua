-- wrk script: POST the bodies of a file (one JSON per line), cycling, each thread from its own offset.
local bodies = {}
local index = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  index = (tonumber(args[2]) or 0) * 997 % #bodies
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[index])
end
