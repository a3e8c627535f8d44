-- wrk script (bench/measure.mjs, paced workloads): after each response, a connection waits
-- the script's argument in milliseconds before sending its next request
-- (`wrk ... -s bench/think-time.lua URL -- MS`, https://github.com/wg/wrk/blob/master/SCRIPTING).
-- Every contender is then offered about the same load below the machine's saturation, so
-- their tails compare at equal work: closed-loop cells without a pause measure how each
-- server shares two saturated cores with wrk, which follows its throughput.
local think = 0

function init(args)
  think = tonumber(args[1]) or 0
end

function delay()
  return think
end
